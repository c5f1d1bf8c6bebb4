// The fusion pass: groups an optimised program into kernels (the contract in
// ir/kernel.ts) so that tiers 1 and 2 run each group as one loop nest and keep its
// intermediates in registers.
//
// Greedy, in program order:
// - An elementwise instruction (or a reshape of a value a group computes) joins the
//   kernel that computes one of its operands, merging two elementwise groups when
//   its operands come from both (gelu's `x * 0.5` starts a group of its own, which
//   the final multiply merges with the tanh chain's). An instruction reading only
//   memory starts a new group rather than joining an unrelated one, which could stop
//   that group from becoming a reduction's prologue. Joining never creates a
//   dependency cycle between kernels (checked by a walk over kernel dependencies).
// - A reduction or matmul starts a contraction kernel. It absorbs, as prologue, the
//   elementwise group computing an operand when every value of that group is used
//   only there and each operand element is read once (always for a reduction; for a
//   matmul [M,K]x[K,N], operand a when N = 1 and b when M = 1, else the prologue
//   would be recomputed N or M times). Elementwise work consuming the result joins
//   as epilogue when it runs over the result's size, and pulls in with it an
//   elementwise group that reads only memory (the cast in `Y * dot(X, w)` with an
//   int32 Y argument), which would otherwise stay a loop of its own.
// - A static slice starts an elementwise group of its own: it is a view, read at
//   strided offsets by the loop it joins, so its operand stays in memory (a group never
//   takes in the slice of a value it computes), its result has the loop's exact shape,
//   and groups holding slices stay out of contraction prologues and epilogues.
// - Every other op (transpose, broadcast, random, control flow) is a "single" kernel
//   writing all its results; so is a reshape of a value in memory, which a tier
//   aliases rather than copies.
// Reads of a size strictly between 1 and the loop size (true broadcasts) are only
// fused into an instruction whose result has exactly the kernel's loop shape (for a
// reduction prologue: the operand's shape), so a tier can broadcast them into that
// shape; never in a reduction epilogue, and in a matmul prologue only for a tier that
// asks for it (`FuseOptions.matmulPrologueBroadcast`: tier 1 does, tier 2 does not).

import { shortName } from "./dtype.js";
import { InternalError, fmtShape } from "./errors.js";
import type { FusedProgram, Kernel, SingleKernelOp } from "./kernel.js";
import { isElementwise } from "./ops.js";
import { isReduceInstr, resultsOf, type Instr, type InstrOf, type Program } from "./program.js";
import { shapesEqual, sizeOf, type Shape } from "./shape.js";

type GroupKind = "elementwise" | "reduce" | "matmul" | "single";

interface Group {
  kind: GroupKind;
  /** Indices into program.body, in program order once finished. */
  instrs: number[];
  /** Loop shape of elementwise groups and of contraction epilogues (the main result's shape). */
  shape: Shape;
  main: number;
  prologue: number[];
  dead: boolean;
}

export interface FuseOptions {
  /** Let a matmul prologue broadcast reads into its operand's shape (the tier reads them at a broadcast offset). */
  readonly matmulPrologueBroadcast?: boolean;
}

export function fuse(p: Program, options: FuseOptions = {}): FusedProgram {
  const body = p.body;
  const nv = p.values.length;
  const size = (id: number) => sizeOf(p.values[id]!.shape);
  const groupOf = new Int32Array(nv).fill(-1);
  const groups: Group[] = [];
  // Consumers of each value (instruction indices), and whether it is a program output.
  const users: number[][] = Array.from({ length: nv }, () => []);
  body.forEach((ins, k) => ins.args.forEach((a) => users[a]!.push(k)));
  const isOutput = new Uint8Array(nv);
  for (const o of p.outputs) isOutput[o] = 1;

  /** Groups whose values group `g` reads. */
  const depsOf = (g: number): Set<number> => {
    const d = new Set<number>();
    for (const k of groups[g]!.instrs) {
      for (const a of body[k]!.args) {
        const h = groupOf[a]!;
        if (h >= 0 && h !== g) d.add(h);
      }
    }
    return d;
  };
  /** Would putting `extra` dependencies (and merging `targets`) make some kernel both feed and depend on the targets? */
  const wouldCycle = (targets: ReadonlySet<number>, extra: Iterable<number>): boolean => {
    const stack: number[] = [];
    for (const t of targets) for (const d of depsOf(t)) if (!targets.has(d)) stack.push(d);
    for (const d of extra) if (!targets.has(d)) stack.push(d);
    const seen = new Set<number>();
    while (stack.length) {
      const g = stack.pop()!;
      if (seen.has(g)) continue;
      seen.add(g);
      for (const d of depsOf(g)) {
        if (targets.has(d)) return true;
        stack.push(d);
      }
    }
    return false;
  };

  const isTrueBroadcast = (a: number, n: number) => size(a) !== n && size(a) !== 1;
  const inEpilogue = (g: Group, a: number) => g.kind !== "elementwise" && g.prologue.every((k) => body[k]!.out !== a);

  /** Can instruction k run inside group g (ignoring cycles)? */
  const fits = (k: number, g: number): boolean => {
    const grp = groups[g]!;
    const ins = body[k]!;
    const out = p.values[ins.out]!;
    if (grp.kind === "single" || sizeOf(out.shape) !== sizeOf(grp.shape)) return false;
    const n = sizeOf(grp.shape);
    for (const a of ins.args) {
      if (groupOf[a] === g) {
        if (grp.kind !== "elementwise" && !inEpilogue(grp, a)) return false;
        continue;
      }
      if (!isTrueBroadcast(a, n)) continue;
      // Broadcast reads: only where the result has the loop shape; never in a reduction epilogue.
      if (grp.kind === "reduce" || ins.op === "reshape" || !shapesEqual(out.shape, grp.shape)) return false;
    }
    return true;
  };

  const hasSlice = (g: number) => groups[g]!.instrs.some((k) => body[k]!.op === "slice");
  /** Would merging g and h put a slice into the loop that computes its operand (which must be in memory)? */
  const sliceConflict = (g: number, h: number): boolean =>
    [g, h].some((a) => groups[a]!.instrs.some((k) => body[k]!.op === "slice" && (groupOf[body[k]!.args[0]!] === g || groupOf[body[k]!.args[0]!] === h)));

  const merge = (into: number, from: number): void => {
    const a = groups[into]!;
    const b = groups[from]!;
    a.instrs = [...a.instrs, ...b.instrs].sort((x, y) => x - y);
    for (const k of b.instrs) groupOf[body[k]!.out] = into;
    b.dead = true;
    b.instrs = [];
  };

  const add = (k: number, g: number) => {
    groups[g]!.instrs.push(k);
    groupOf[body[k]!.out] = g;
  };

  const newGroup = (kind: GroupKind, k: number, shape: Shape): number => {
    groups.push({ kind, instrs: [k], shape, main: kind === "elementwise" ? -1 : k, prologue: [], dead: false });
    for (const v of resultsOf(body[k]!)) groupOf[v] = groups.length - 1;
    return groups.length - 1;
  };

  const operandGroups = (ins: Instr) => [...new Set(ins.args.map((a) => groupOf[a]!).filter((g) => g >= 0))];

  function placeElementwise(k: number): void {
    const ins = body[k]!;
    const own = operandGroups(ins);
    const candidates = own.filter((g) => fits(k, g));
    for (const c of candidates) {
      // An elementwise group over memory alone (Y's cast in `Y * dot(X, w)`) feeding the
      // same instruction as a contraction's result runs in that contraction's epilogue.
      if (groups[c]!.kind === "elementwise") continue;
      const pulled = candidates.filter((h) => h !== c && groups[h]!.kind === "elementwise" && epilogueCanTake(c, h));
      if (pulled.length === 0) continue;
      if (wouldCycle(new Set([c, ...pulled]), own.filter((h) => h !== c && !pulled.includes(h)))) continue;
      for (const h of pulled) merge(c, h);
      add(k, c);
      return;
    }
    for (const g of candidates) {
      const others = own.filter((h) => h !== g);
      if (wouldCycle(new Set([g]), others)) continue;
      add(k, g);
      // Pull other elementwise operand groups into the same loop when that is legal.
      for (const h of others) {
        const gh = groups[h]!;
        if (gh.kind !== "elementwise" || groups[g]!.kind !== "elementwise") continue;
        if (sizeOf(gh.shape) !== sizeOf(groups[g]!.shape) || !gh.instrs.every((j) => fitsShapeOf(j, g))) continue;
        if (sliceConflict(g, h)) continue;
        if (wouldCycle(new Set([g, h]), [])) continue;
        merge(g, h);
      }
      return;
    }
    if (ins.op === "reshape") {
      newGroup("single", k, p.values[ins.out]!.shape);
      return;
    }
    newGroup("elementwise", k, p.values[ins.out]!.shape);
  }

  /** Whether every instruction of elementwise group h could run in contraction c's epilogue (after its main, over its result). */
  function epilogueCanTake(c: number, h: number): boolean {
    const cg = groups[c]!;
    if (hasSlice(h)) return false;
    const n = sizeOf(cg.shape);
    return groups[h]!.instrs.every((j) => {
      const ins = body[j]!;
      if (j < cg.main || ins.op === "reshape" || size(ins.out) !== n) return false;
      return ins.args.every((a) => !isTrueBroadcast(a, n) || (cg.kind === "matmul" && shapesEqual(p.values[ins.out]!.shape, cg.shape)));
    });
  }

  /** Whether instruction j (already in some group) could run with group g's loop shape. */
  function fitsShapeOf(j: number, g: number): boolean {
    const ins = body[j]!;
    const n = sizeOf(groups[g]!.shape);
    if (ins.op === "slice") return shapesEqual(p.values[ins.out]!.shape, groups[g]!.shape);
    return ins.args.every((a) => !isTrueBroadcast(a, n) || shapesEqual(p.values[ins.out]!.shape, groups[g]!.shape));
  }

  function absorbPrologue(c: number, operand: number): void {
    const g = groupOf[operand]!;
    if (g < 0) return;
    const grp = groups[g]!;
    if (grp.kind !== "elementwise" || sizeOf(grp.shape) !== size(operand) || hasSlice(g)) return;
    const main = groups[c]!.main;
    const n = size(operand);
    for (const j of grp.instrs) {
      const ins = body[j]!;
      const v = ins.out;
      if (isOutput[v]) return;
      // A reduction can broadcast a read into its operand's shape (offset tables); a matmul prologue only if the tier asked.
      const bcastKind = groups[c]!.kind === "reduce" || options.matmulPrologueBroadcast === true;
      const bcastOk = bcastKind && ins.op !== "reshape" && shapesEqual(p.values[v]!.shape, p.values[operand]!.shape);
      if (!bcastOk && ins.args.some((a) => groupOf[a] !== g && isTrueBroadcast(a, n))) return;
      const outside = users[v]!.filter((u) => groupOf[body[u]!.out] !== g);
      if (outside.length === 0) continue;
      if (v !== operand || outside.length !== 1 || outside[0] !== main) return;
      if (body[main]!.args.filter((a) => a === v).length !== 1) return;
    }
    const cg = groups[c]!;
    cg.prologue = [...cg.prologue, ...grp.instrs].sort((x, y) => x - y);
    cg.instrs = [...cg.prologue, main];
    for (const j of grp.instrs) groupOf[body[j]!.out] = c;
    grp.dead = true;
    grp.instrs = [];
  }

  body.forEach((ins, k) => {
    const op = ins.op;
    // A static slice is a view: the loop consuming it reads its operand (in memory) at strided offsets.
    if (op === "slice") newGroup("elementwise", k, p.values[ins.out]!.shape);
    else if (isElementwise(op) || op === "reshape") placeElementwise(k);
    else if (isReduceInstr(ins)) {
      const c = newGroup("reduce", k, p.values[ins.out]!.shape);
      absorbPrologue(c, ins.args[0]!);
    } else if (op === "matmul") {
      const c = newGroup("matmul", k, p.values[ins.out]!.shape);
      const as = p.values[ins.args[0]!]!.shape;
      const os = p.values[ins.out]!.shape;
      const M = as[as.length - 2];
      const N = os[os.length - 1];
      if (N === 1) absorbPrologue(c, ins.args[0]!);
      if (M === 1) absorbPrologue(c, ins.args[1]!);
    } else newGroup("single", k, p.values[ins.out]!.shape);
  });

  return { program: p, kernels: order(p, groups, groupOf, users, isOutput) };
}

/** Builds the contract's kernels (reads, writes) and lists them in dependency order. */
function order(p: Program, groups: readonly Group[], groupOf: Int32Array, users: number[][], isOutput: Uint8Array): Kernel[] {
  const body = p.body;
  const all = groups.filter((g) => !g.dead);
  const liveIndex = new Map<number, number>();
  groups.forEach((g, i) => {
    if (!g.dead) liveIndex.set(i, liveIndex.size);
  });
  const kernelOfValue = (v: number) => (groupOf[v]! >= 0 ? liveIndex.get(groupOf[v]!)! : -1);

  const built: Kernel[] = all.map((g, gi) => {
    const defined = new Set(g.instrs.flatMap((k) => resultsOf(body[k]!)));
    const reads: number[] = [];
    for (const k of g.instrs) for (const a of body[k]!.args) if (!defined.has(a) && !reads.includes(a)) reads.push(a);
    const writes = g.instrs
      .flatMap((k) => resultsOf(body[k]!))
      .filter((v) => g.kind === "single" || isOutput[v] || users[v]!.some((u) => kernelOfValue(body[u]!.out) !== gi));
    const instrs = g.instrs.map((k) => body[k]!);
    if (g.kind === "elementwise") return { kind: "elementwise", body: instrs, reads, writes, shape: g.shape };
    if (g.kind === "single") {
      const main = body[g.main]!;
      if (!isSingleKernelInstr(main)) throw new InternalError(`fusion: ${main.op} cannot run as a single kernel`);
      return { kind: "single", body: instrs, reads, writes, main };
    }
    const epi = g.instrs.filter((k) => k > g.main).map((k) => body[k]!);
    const parts = { body: instrs, reads, writes, prologue: g.prologue.map((j) => body[j]!), epilogue: epi };
    const main = body[g.main]!;
    if (g.kind === "reduce" && isReduceInstr(main)) return { kind: "reduce", ...parts, main };
    if (g.kind === "matmul" && main.op === "matmul") return { kind: "matmul", ...parts, main };
    throw new InternalError(`fusion: a ${g.kind} group whose main instruction is ${main.op}`);
  });

  // Kahn's algorithm, taking the ready kernel whose first instruction comes first.
  const deps = built.map((k, i) => new Set(k.reads.map(kernelOfValue).filter((d) => d >= 0 && d !== i)));
  const first = all.map((g) => g.instrs[0]!);
  const done = new Array<boolean>(built.length).fill(false);
  const out: Kernel[] = [];
  for (let step = 0; step < built.length; step++) {
    let best = -1;
    for (let i = 0; i < built.length; i++) {
      if (done[i] || [...deps[i]!].some((d) => !done[d])) continue;
      if (best < 0 || first[i]! < first[best]!) best = i;
    }
    done[best] = true;
    out.push(built[best]!);
  }
  return out;
}

function ref(p: Program, id: number): string {
  const c = p.consts.get(id);
  if (c && c.length === 1) {
    const x = c[0]!;
    return `${Object.is(x, -0) ? "-0" : String(x)}:${shortName(p.values[id]!.dtype)}`;
  }
  return `%${id}`;
}

function isSingleKernelInstr(ins: Instr): ins is InstrOf<SingleKernelOp> {
  return ins.op === "reshape" || !(isElementwise(ins.op) || isReduceInstr(ins) || ins.op === "matmul");
}

/** The kernel grouping as text, for inspect(): one header per kernel, then its instructions. */
export function printFused(fp: FusedProgram): string {
  const p = fp.program;
  const ty = (id: number) => `${shortName(p.values[id]!.dtype)}${fmtShape(p.values[id]!.shape)}`;
  const lines: string[] = [];
  fp.kernels.forEach((k, i) => {
    const what = k.kind === "elementwise" ? `elementwise ${fmtShape(k.shape)}` : k.kind === "single" ? `single ${k.main.op}` : k.kind;
    const ids = (xs: readonly number[]) => xs.map((x) => ref(p, x)).join(", ") || "-";
    lines.push(`kernel ${i}: ${what}  reads ${ids(k.reads)}  writes ${ids(k.writes)}`);
    const tag = (ins: Instr) =>
      k.kind === "reduce" || k.kind === "matmul" ? (ins === k.main ? "main " : k.prologue.includes(ins) ? "pro  " : "epi  ") : "";
    for (const ins of k.body) {
      const attrs = "axes" in ins ? `[axes=${fmtShape(ins.axes)}]` : "axis" in ins ? `[axis=${ins.axis}]` : ins.op === "transpose" ? `[perm=${fmtShape(ins.perm)}]` : "";
      const mem = k.writes.includes(ins.out) ? "" : " (reg)";
      lines.push(`  ${tag(ins)}%${ins.out}: ${ty(ins.out)} = ${ins.op}${attrs} ${ins.args.map((a) => ref(p, a)).join(", ")}${mem}`);
    }
  });
  return lines.join("\n");
}
