// Lowers an optimised Program to a tier-2 plan: the fused kernels (ir/fusion.ts) as
// wasm over one memory whose layout is fixed at compile time (shapes are static per
// signature). Each top-level kernel becomes one exported function; a contraction
// kernel runs its prologue loop, its main loop and its epilogue loop in that function.
//
// Everything runs in wasm, nothing calls back into JS:
// - "single" kernels: a reshape aliases its operand's region; transpose and
//   broadcast are gathers through an offset table placed at instantiation
//   (movement.ts); `random` draws natively (random.ts); loop/while/cond lower to wasm
//   control flow around their sub-programs, fused and emitted inline (control.ts).
// - true-broadcast reads (size strictly between 1 and the loop size) are read in
//   place: the elementwise loop runs as rows along which each such read is
//   contiguous or constant (bias rows, column scales); only reads that fit no such
//   split are gathered into scratch at the start of the kernel.
// Every program (the top level and each sub-program) has a Scope mapping its value
// ids to regions; a sub-program's inputs are bound to the regions its control
// instruction feeds it (the loop's carries, the captured values), so nothing is
// copied into a body except the scan rows.

import type { TypedArray } from "../../ir/dtype.js";
import { TierUnavailableError } from "../../ir/errors.js";

/** One wasm32 memory: 65536 pages of 64 KiB = 4 GiB. */
const MAX_WASM_PAGES = 65536;
import { groupStep, kernelStep, mayWriteOver, planBuffers, type BufferPlan } from "../../ir/buffers.js";
import { fuse } from "../../ir/fusion.js";
import type { Kernel } from "../../ir/kernel.js";
import { isArgReduceInstr, isControlInstr, isScanInstr, isSortInstr, resultsOf, type Instr, type Program, type ReduceInstr } from "../../ir/program.js";
import { broadcastStrides, offsetTable, sizeOf, stridesOf, type Shape } from "../../ir/shape.js";
import { flipView } from "../../ir/kernels/movement.js";
import { emitControl } from "./control.js";
import { Layout, Scope, type LowerInline } from "./layout.js";
import { Fn } from "./fn.js";
import { blockedMatmulFits, emitBlockedMatmul, packedSize } from "./matmul.js";
import { emitElementwise, emitMatmul, emitReduceContiguous, emitReduceGeneral, forBatch, reduceStackSize, type EwLoop } from "./loops.js";
import { emitConcat, emitRemap } from "./assembly.js";
import { emitGather } from "./movement.js";
import { emitDynamicSlice, emitDynamicUpdateSlice, emitGatherAxis, emitScatterAxis } from "./gather.js";
import { sliceView } from "../../ir/indexing.js";
import { emitOnePass, matchOnePass, type OnePass } from "./onepass.js";
import { emitRandom } from "./random.js";
import { emitArgReduce, emitScan, emitSort } from "./scan.js";
import { emitSparseMatvec, sparseMatvecFits, zeroProduct } from "./sparse.js";
import { emitSpmv, finiteWeights } from "./spmv.js";
import type { ModuleRecipe } from "./recipe.js";
import type { Region } from "./values.js";

export interface Plan {
  readonly program: Program;
  readonly recipe: ModuleRecipe;
  /** The exported functions one call runs, in order. */
  readonly steps: readonly string[];
  /** Region of each top-level value held in memory (inputs, constants, kernel writes). */
  readonly regionOf: ReadonlyMap<number, Region>;
  /** Constant data (program constants, offset tables) placed once at instantiation. */
  readonly tables: ReadonlyArray<readonly [Region, TypedArray]>;
  readonly bytes: number;
  /** Per state output: the program input whose region holds its value (ir/buffers.ts inputAt), or -1. */
  readonly stateInput: Int32Array;
}

export function lowerProgram(p: Program, options: { optimize?: boolean; exact?: boolean } = {}): Plan {
  const layout = new Layout(options.exact === false);
  const scope = new Scope(p, layout);
  for (const id of p.inputs) scope.of(id);
  const steps: string[] = [];
  const buffers = lowerKernels(scope, (body) => {
    const fn = new Fn(`k${steps.length}`, [], layout.fastMath);
    body(fn);
    layout.funcs.push(fn.finish());
    steps.push(fn.name);
  });
  // Outputs that no kernel writes (inputs, constants) still need a region to copy from.
  for (const o of p.outputs) scope.of(o);
  const pages = Math.max(1, Math.ceil(layout.top / 65536));
  if (pages > MAX_WASM_PAGES) {
    throw new TierUnavailableError(`wasm tier: this program needs ${(layout.top / 2 ** 30).toFixed(2)} GiB of wasm memory (its arrays, constants and scratch space together), above the 4 GiB one wasm32 memory holds; it stays in the tier below`);
  }
  const recipe: ModuleRecipe = {
    pages,
    imports: [],
    funcs: layout.funcs,
    ...(options.optimize ? { optimize: true } : {}),
  };
  const stateInput = Int32Array.from(p.outputs.slice(p.outputs.length - p.stateOutputs), (o) => buffers.inputAt[o]!);
  return { program: p, recipe, steps, regionOf: scope.regionOf, tables: layout.tables, bytes: layout.top, stateInput };
}

/**
 * Lowers a sub-program inline into `fn`, its inputs bound to `inputs`; returns its
 * scope (for its output regions). `inPlace` maps an output to the input whose region
 * it may take over (a loop carry's new and old value), where that is safe: see
 * lowerKernels.
 */
export function lowerInline(sub: Program, layout: Layout, inputs: readonly Region[], fn: Fn, inPlace?: ReadonlyMap<number, number>): Scope {
  const scope = new Scope(sub, layout, inputs);
  lowerKernels(scope, (body) => body(fn), inPlace);
  for (const o of sub.outputs) scope.of(o);
  return scope;
}
lowerInline satisfies LowerInline;

/**
 * Lowers each fused kernel of the scope's program; `into` gives the function each
 * kernel's code goes to.
 *
 * Storage comes from ir/buffers.ts, over one step per kernel or one-pass pair (a pair
 * reads whole arrays while writing: nothing aligned), with contraction prologues run
 * as loops of their own before the main loop (`prologue: "first"`): a reshape step
 * shares its operand's region; a region written by a kernel returns to the layout
 * once its value's last step has run (inputs, constants and outputs never do); an
 * in-place output (`inPlace`: output -> input, a loop carry's new and old value) is
 * written straight into the input's region where mayWriteOver allows it, saving a
 * loop iteration's copy-back.
 */
function lowerKernels(scope: Scope, into: (body: (fn: Fn) => void) => void, inPlace?: ReadonlyMap<number, number>): BufferPlan {
  const p = scope.p;
  const kernels = fuse(p).kernels;
  const groups: { readonly k: Kernel; readonly pair?: OnePass }[] = [];
  for (let ki = 0; ki < kernels.length; ki++) {
    const pair = matchOnePass(p, kernels, ki);
    groups.push({ k: kernels[ki]!, ...(pair ? { pair } : {}) });
    if (pair) ki++;
  }
  const plan = planBuffers(p, groups.map(({ k, pair }) => (pair ? groupStep([kernelStep(p, pair.a, "first"), kernelStep(p, pair.b, "first")]) : kernelStep(p, k, "first"))));
  const defined: number[] = [];
  const releaseUpTo = (g: number) => {
    for (let d = defined.length - 1; d >= 0; d--) {
      const id = defined[d]!;
      if (plan.lastUse[plan.root[id]!]! > g) continue;
      defined.splice(d, 1);
      const r = scope.regionOf.get(id);
      if (r && plan.root[id] === id) scope.layout.release(r);
    }
  };
  /** Binds the in-place outputs that step g writes to their inputs' regions, where safe. */
  const bindInPlace = (g: number) => {
    if (!inPlace) return;
    for (const out of plan.steps[g]!.writes) {
      const input = inPlace.get(out);
      if (input === undefined || scope.regionOf.has(out) || !mayWriteOver(plan, input, g)) continue;
      const r = scope.of(input);
      const v = p.values[out]!;
      if (r.dt === v.dtype && r.n === sizeOf(v.shape)) scope.regionOf.set(out, r);
    }
  };
  groups.forEach(({ k, pair }, g) => {
    if (plan.alias[g]) {
      scope.regionOf.set(plan.steps[g]!.writes[0]!, scope.of(plan.steps[g]!.reads[0]!)); // same elements, same order: share the region
      return;
    }
    bindInPlace(g);
    if (pair) {
      into((fn) => emitOnePass(fn, scope, pair, (kk, shape, instrs) => ewLoop(fn, scope, kk, shape, instrs)));
      defined.push(...pair.a.body.flatMap(resultsOf), ...pair.b.body.flatMap(resultsOf));
    } else {
      into((fn) => lowerKernel(fn, scope, k));
      defined.push(...k.body.flatMap(resultsOf));
    }
    releaseUpTo(g);
  });
  return plan;
}

function lowerKernel(fn: Fn, scope: Scope, k: Kernel): void {
  const p = scope.p;
  if (k.kind === "single") {
    const main = k.main;
    if (isControlInstr(main)) return emitControl(fn, scope, main, lowerInline);
    const src = scope.of(main.args[0]!);
    const out = scope.of(main.out);
    if (main.op === "random") return emitRandom(fn, main.dist, src, out);
    const inShape = p.values[main.args[0]!]!.shape;
    const outShape = p.values[main.out]!.shape;
    if (main.op === "reshape") return emitGather(fn, src, out, null);
    if (main.op === "remap") return emitRemap(fn, scope.layout, src, out, main.offsets);
    if (main.op === "concat") return emitConcat(fn, main.args.map((a) => scope.of(a)), main.args.map((a) => p.values[a]!.shape), main.axis, out);
    if (main.op === "transpose") {
      const strides = stridesOf(inShape);
      return emitGather(fn, src, out, scope.layout.offsets(outShape, main.perm.map((d) => strides[d]!)));
    }
    if (main.op === "broadcast") return emitBroadcast(fn, scope, src, inShape, outShape, out);
    if (main.op === "flip") {
      const { start, strides } = flipView(inShape, main.along);
      return emitGather(fn, src, out, scope.layout.table("int32", offsetTable(inShape, strides).map((o) => o + start)));
    }
    if (main.op === "slice") {
      const { start, strides } = sliceView(inShape, main);
      return emitGather(fn, src, out, scope.layout.table("int32", offsetTable(outShape, strides).map((o) => o + start)));
    }
    if (main.op === "gather") return emitGatherAxis(fn, src, inShape, main.axis, scope.of(main.args[1]!), out);
    if (main.op === "scatter") return emitScatterAxis(fn, src, inShape, main.axis, main.mode, scope.of(main.args[1]!), scope.of(main.args[2]!), out);
    if (main.op === "dynamicSlice") return emitDynamicSlice(fn, src, inShape, main.sizes, scope.of(main.args[1]!), out);
    if (main.op === "dynamicUpdateSlice") {
      return emitDynamicUpdateSlice(fn, src, inShape, scope.of(main.args[1]!), p.values[main.args[1]!]!.shape, scope.of(main.args[2]!), out);
    }
    if (main.op === "spmv") {
      const [, d, v] = main.args as [number, number, number];
      const skipZero = p.values[v]!.dtype !== "bool" && finiteWeights(p.consts.get(d));
      return emitSpmv(fn, main, src, scope.of(d), p.values[d]!.shape.length === 0, scope.of(v), out, skipZero);
    }
    if (isArgReduceInstr(main) || isScanInstr(main) || isSortInstr(main)) {
      const strides = stridesOf(inShape);
      const along = "axis" in main ? [main.axis] : main.axes;
      const kept = inShape.map((_, i) => i).filter((i) => !along.includes(i));
      const table = (dims: readonly number[]) => scope.layout.offsets(dims.map((i) => inShape[i]!), dims.map((i) => strides[i]!));
      if (isSortInstr(main)) {
        const m = inShape[main.axis]!;
        const scratch = [scope.layout.alloc("int32", m), scope.layout.alloc("int32", m)] as const;
        return emitSort(fn, main.op, src, out, table(kept), m, strides[main.axis]!, scratch);
      }
      if (isScanInstr(main)) return emitScan(fn, main.op, src, out, table(kept), inShape[main.axis]!, strides[main.axis]!);
      return emitArgReduce(fn, main.op, src, out, table(kept), table(main.axes));
    }
    return main satisfies never;
  }
  const loopFor = (shape: Shape, instrs: readonly Instr[], extraDst: readonly number[]) => ewLoop(fn, scope, k, shape, instrs, extraDst, true);
  if (k.kind === "elementwise") return emitElementwise(fn, p.values, loopFor(k.shape, k.body, []));
  const main = k.main;
  const operands = main.args;
  if (k.prologue.length) {
    // Each prologue instruction belongs to the operand whose size it has; emit one loop per operand.
    for (const a of operands) {
      const mine = k.prologue.filter((ins) => sizeOf(p.values[ins.out]!.shape) === sizeOf(p.values[a]!.shape));
      if (mine.length && mine.some((ins) => ins.out === a)) emitElementwise(fn, p.values, loopFor(p.values[a]!.shape, mine, [a]));
    }
  }
  const outR = scope.of(main.out);
  if (k.kind === "reduce") emitReduction(fn, scope, k.main);
  else {
    const as = p.values[operands[0]!]!.shape;
    const [M, K] = as.slice(-2) as [number, number];
    const N = p.values[main.out]!.shape[as.length - 1]!;
    const B = as.length === 3 ? as[0]! : 1;
    const w = p.consts.get(operands[0]!);
    if (B === 1 && N === 1 && sparseMatvecFits(outR.dt, w, M, K)) {
      const zero = scope.layout.table(outR.dt, zeroProduct(outR.dt, w!, M, K));
      emitSparseMatvec(fn, scope.of(operands[0]!), scope.of(operands[1]!), outR, M, K, scope.layout.alloc("int32", K >> 2), zero);
    } else if (K === 0 || B === 0) emitMatmul(fn, scope.of(operands[0]!), scope.of(operands[1]!), outR, M, K, N);
    else if (blockedMatmulFits(outR.dt, M, K, N)) {
      const pack = scope.layout.alloc(outR.dt, packedSize(K, N));
      forBatch(fn, B, M, K, N, (base) => emitBlockedMatmul(fn, scope.of(operands[0]!), scope.of(operands[1]!), outR, pack, M, K, N, base));
    } else forBatch(fn, B, M, K, N, (base) => emitMatmul(fn, scope.of(operands[0]!), scope.of(operands[1]!), outR, M, K, N, base));
  }
  if (k.epilogue.length) emitElementwise(fn, p.values, loopFor(p.values[main.out]!.shape, k.epilogue, []));
}

/**
 * The elementwise loop over `shape` running `instrs` of kernel k: where each read
 * lives and which values it stores (the kernel's writes, plus `extraDst`). True
 * broadcast reads (size strictly between 1 and the loop's) are read in place through
 * a row nest when `nest` allows and their strides fit one (broadcastNest), otherwise
 * gathered into scratch first (emitted into fn).
 */
function ewLoop(fn: Fn, scope: Scope, k: Kernel, shape: Shape, instrs: readonly Instr[], extraDst: readonly number[] = [], nest = false): EwLoop {
  const p = scope.p;
  const n = sizeOf(shape);
  const defined = new Set(instrs.map((i) => i.out));
  const src = new Map<number, Region>();
  // Reads at an offset of their own: true broadcasts (size strictly between 1 and n) and slices (views of their operand).
  const strided: StridedRead[] = [];
  for (const ins of instrs) {
    if (ins.op === "slice") {
      const a = ins.args[0]!;
      const { start, strides } = sliceView(p.values[a]!.shape, ins);
      strided.push({ id: ins.out, region: scope.of(a), strides, start });
      continue;
    }
    for (const a of ins.args) {
      if (defined.has(a) || src.has(a)) continue;
      const m = sizeOf(p.values[a]!.shape);
      src.set(a, scope.of(a));
      if (m !== n && m !== 1) strided.push({ id: a, region: scope.of(a), strides: broadcastStrides(p.values[a]!.shape, shape), start: 0 });
    }
  }
  const dst = new Map<number, Region>();
  for (const id of [...k.writes, ...extraDst]) if (defined.has(id)) dst.set(id, scope.of(id));
  const rows = nest && strided.length ? broadcastNest(scope, shape, strided) : undefined;
  if (rows) {
    for (const r of strided) src.set(r.id, r.region);
    return { n, instrs, src, dst, nest: rows };
  }
  // No row split fits every strided read: gather them into scratch first (offset tables).
  for (const r of strided) {
    const g = scope.layout.alloc(r.region.dt, n);
    emitGather(fn, r.region, g, r.start === 0 ? scope.layout.offsets(shape, r.strides) : scope.layout.table("int32", offsetTable(shape, r.strides).map((o) => o + r.start)));
    src.set(r.id, g);
  }
  return { n, instrs, src, dst };
}

/** A read of `region` at start + sum(index * strides) over the loop shape (a broadcast, or a slice's view of its operand). */
interface StridedRead {
  readonly id: number;
  readonly region: Region;
  readonly strides: readonly number[];
  readonly start: number;
}

/**
 * Splits `shape` into rows (leading axes) x a block (trailing axes) along which every
 * strided read is either contiguous (its trailing strides are the block's own) or
 * constant; the largest such block of at least 2 elements, or undefined.
 */
function broadcastNest(scope: Scope, shape: Shape, reads: readonly StridedRead[]): EwLoop["nest"] {
  const r = shape.length;
  const dense = stridesOf(shape);
  for (let s = 0; s < r; s++) {
    const kinds = reads.map(({ strides: st }) => (st.slice(s).every((v, d) => v === dense[s + d]) ? "contig" : st.slice(s).every((v) => v === 0) ? "splat" : undefined));
    if (kinds.some((k) => k === undefined)) continue;
    const inner = sizeOf(shape.slice(s));
    if (inner < 2) return undefined;
    const lead = shape.slice(0, s);
    const table = (rd: StridedRead) =>
      rd.start === 0 ? scope.layout.offsets(lead, rd.strides.slice(0, s)) : scope.layout.table("int32", offsetTable(lead, rd.strides.slice(0, s)).map((o) => o + rd.start));
    const map = new Map(reads.map((rd, i) => [rd.id, { table: table(rd), splat: kinds[i] === "splat" }] as const));
    return { inner, reads: map };
  }
  return undefined;
}

function emitBroadcast(fn: Fn, scope: Scope, src: Region, inShape: Shape, outShape: Shape, out: Region): void {
  if (sizeOf(inShape) === 1) return emitGather(fn, src, out, "splat");
  emitGather(fn, src, out, scope.layout.offsets(outShape, broadcastStrides(inShape, outShape)));
}

function emitReduction(fn: Fn, scope: Scope, main: ReduceInstr): void {
  const p = scope.p;
  const inV = p.values[main.args[0]!]!;
  const input = scope.of(main.args[0]!);
  const out = scope.of(main.out);
  const axes = main.axes;
  const r = inV.shape.length;
  const op = main.op;
  const trailing = axes.every((a, i) => a === r - axes.length + i);
  const m = sizeOf(axes.map((a) => inV.shape[a]!));
  const depth = reduceStackSize(m);
  const stack = depth > 0 ? scope.layout.alloc(input.dt, depth) : undefined;
  if (trailing) return emitReduceContiguous(fn, op, input, out, m, stack);
  const strides = stridesOf(inV.shape);
  const kept = inV.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const table = (dims: number[]): Region => scope.layout.offsets(dims.map((i) => inV.shape[i]!), dims.map((i) => strides[i]!));
  emitReduceGeneral(fn, op, input, out, table(kept), table([...axes]), stack);
}

export type { Kernel };
