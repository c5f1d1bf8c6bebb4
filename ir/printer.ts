// Prints a program as text in the spirit of a jaxpr: inputs with their types and
// origin, constants, one line per instruction with its result type, and outputs.
//
//   program(%0: f32[100000] <args[0]>) {
//     %1: f32[100000] = mul %0, 0.5:f32
//     ...
//     return %9 -> result
//   }

import { shortName } from "./dtype.js";
import { SUB_NAMES, isControlInstr, resultsOf, type Instr, type Program, type ValueInfo } from "./program.js";
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
  if (ins.op === "loop") parts.push(`lo=${ins.lo} hi=${ins.hi}`);
  if (ins.op === "loop" || ins.op === "while") parts.push(`carry=${ins.nCarry}`);
  if (ins.op === "loop" && ins.nXs) parts.push(`xs=${ins.nXs}`);
  if (ins.op === "random") parts.push(ins.dist);
  if ("axes" in ins) parts.push(`axes=${fmtShape(ins.axes)}`, ...(ins.keepdims ? ["keepdims"] : []));
  if ("axis" in ins) parts.push(`axis=${ins.axis}`);
  if (ins.op === "transpose") parts.push(`perm=${fmtShape(ins.perm)}`);
  if (ins.op === "flip") parts.push(`along=${fmtShape(ins.along)}`);
  if (ins.op === "slice") parts.push(`starts=${fmtShape(ins.starts)}`, `steps=${fmtShape(ins.steps)}`);
  if (ins.op === "scatter") parts.push(`mode=${ins.mode}`);
  if (ins.op === "dynamicSlice") parts.push(`sizes=${fmtShape(ins.sizes)}`);
  if (ins.op === "spmv") parts.push(`${ins.rows}x${ins.cols}`, ...(ins.transpose ? ["transpose"] : []));
  if (ins.op === "remap") parts.push(`map=${remapSummary(ins.offsets)}`);
  return parts.length ? `[${parts.join(" ")}]` : "";
}

/** A remap's index map, briefly: each output axis's first offsets (the lists can be long). */
function remapSummary(offsets: readonly (readonly number[])[]): string {
  return `[${offsets.map((o) => (o.length <= 4 ? o.join(",") : `${o.slice(0, 3).join(",")},..x${o.length}`)).join("; ")}]`;
}


export function printProgram(p: Program, indent = ""): string {
  const ref = (id: number) => constStr(p, id) ?? `%${id}`;
  const lines: string[] = [];
  const ins = p.inputs.map((id, i) => `%${id}: ${typeStr(p.values[id]!)} <${p.inputLabels[i]}>`);
  lines.push(`program(${ins.join(", ")}) {`);
  for (const [id, data] of p.consts) {
    if (data.length !== 1) lines.push(`  %${id}: ${typeStr(p.values[id]!)} = const`);
  }
  for (const i of p.body) {
    const defs = resultsOf(i).map((o) => `%${o}: ${typeStr(p.values[o]!)}`).join(", ");
    const ctl = isControlInstr(i) ? i : undefined;
    const subs = ctl?.subs;
    lines.push(`  ${defs} = ${i.op}${attrStr(i)} ${i.args.map(ref).join(", ")}${subs ? " {" : ""}`);
    subs?.forEach((sub, k) => lines.push(`    ${(ctl && SUB_NAMES[ctl.op][k]) ?? `sub${k}`}: ${printProgram(sub, indent + "    ")}`));
    if (subs) lines.push("  }");
  }
  const outs = p.outputs.map((id, i) => `${ref(id)} -> ${p.outputLabels[i]}`);
  lines.push(`  return ${outs.join(", ")}`);
  lines.push("}");
  return lines.join("\n" + indent);
}
