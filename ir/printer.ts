// Prints a program as text in the spirit of a jaxpr: inputs with their types and
// origin, constants, one line per instruction with its result type, and outputs.
//
//   program(%0: f32[100000] <args[0]>) {
//     %1: f32[100000] = mul %0, 0.5:f32
//     ...
//     return %9 -> result
//   }

import { shortName } from "./dtype.js";
import type { Instr, Program, ValueInfo } from "./program.js";
import { fmtShape } from "./errors.js";

export function typeStr(v: ValueInfo): string {
  return `${shortName(v.dtype)}${fmtShape(v.shape)}`;
}

function constStr(p: Program, id: number): string | undefined {
  const data = p.consts.get(id);
  const v = p.values[id]!;
  if (!data || data.length !== 1) return undefined;
  const x = data[0]!;
  const s = v.dtype === "bool" ? (x ? "true" : "false") : Object.is(x, -0) ? "-0" : String(x);
  return `${s}:${typeStr(v)}`;
}

function attrStr(ins: Instr): string {
  const parts: string[] = [];
  if (ins.lo !== undefined) parts.push(`lo=${ins.lo} hi=${ins.hi}`);
  if (ins.nCarry !== undefined) parts.push(`carry=${ins.nCarry}`);
  if (ins.nXs) parts.push(`xs=${ins.nXs}`);
  if (ins.dist) parts.push(ins.dist);
  if (ins.axes) parts.push(`axes=${fmtShape(ins.axes)}`);
  if (ins.keepdims) parts.push("keepdims");
  if (ins.perm) parts.push(`perm=${fmtShape(ins.perm)}`);
  return parts.length ? `[${parts.join(" ")}]` : "";
}

const SUB_NAMES: Readonly<Record<string, readonly string[]>> = { loop: ["body"], while: ["cond", "body"], cond: ["then", "else"] };

export function printProgram(p: Program, indent = ""): string {
  const ref = (id: number) => constStr(p, id) ?? `%${id}`;
  const lines: string[] = [];
  const ins = p.inputs.map((id, i) => `%${id}: ${typeStr(p.values[id]!)} <${p.inputLabels[i]}>`);
  lines.push(`program(${ins.join(", ")}) {`);
  for (const [id, data] of p.consts) {
    if (data.length !== 1) lines.push(`  %${id}: ${typeStr(p.values[id]!)} = const`);
  }
  for (const i of p.body) {
    const defs = (i.outs ?? [i.out]).map((o) => `%${o}: ${typeStr(p.values[o]!)}`).join(", ");
    lines.push(`  ${defs} = ${i.op}${attrStr(i)} ${i.args.map(ref).join(", ")}${i.subs ? " {" : ""}`);
    i.subs?.forEach((sub, k) => lines.push(`    ${SUB_NAMES[i.op]?.[k] ?? `sub${k}`}: ${printProgram(sub, indent + "    ")}`));
    if (i.subs) lines.push("  }");
  }
  const outs = p.outputs.map((id, i) => `${ref(id)} -> ${p.outputLabels[i]}`);
  lines.push(`  return ${outs.join(", ")}`);
  lines.push("}");
  return lines.join("\n" + indent);
}
