// Lowers an optimised Program to a tier-2 plan: the fused kernels (ir/fusion.ts) as
// wasm functions over one memory whose layout is fixed at compile time (shapes are
// static per signature), plus the few steps that stay in JS. Each kernel becomes one
// exported function; a contraction kernel runs its prologue loop, its main loop and
// its epilogue loop in that function, staging the operand and the result in scratch.
//
// What stays in JS (reference kernels from ir/kernels, on views of wasm memory):
// "single" kernels (transpose, broadcast, reshape copies, random draws), and the
// materialisation of true-broadcast reads (size strictly between 1 and the loop
// size) into scratch before the kernel that reads them. These only move data.
// Control flow (loop/while/cond) is not lowered: compile throws TierUnavailableError
// and the signature stays in its current tier.

import { runInstr } from "../../ir/kernels/index.js";
import { broadcast } from "../../ir/kernels/movement.js";
import type { DType, TypedArray } from "../../ir/dtype.js";
import { TierUnavailableError } from "../../ir/errors.js";
import { fuse } from "../../ir/fusion.js";
import type { Kernel } from "../../ir/kernel.js";
import { isControl, type ReduceOp } from "../../ir/ops.js";
import type { Instr, Program } from "../../ir/program.js";
import { sizeOf, stridesOf, type Shape } from "../../ir/shape.js";
import type { ImportTable } from "./ew.js";
import { Fn } from "./fn.js";
import { emitElementwise, emitMatmul, emitReduceContiguous, emitReduceGeneral, type EwLoop } from "./loops.js";
import type { ModuleRecipe } from "./recipe.js";
import { ELEM_BYTES, type Region } from "./values.js";

/** A step of one call: a wasm export, or JS moving data between regions (`view(region)` is a typed array on memory). */
export type Step = { readonly wasm: string } | { readonly js: (view: (r: Region) => TypedArray) => void };

export interface Plan {
  readonly program: Program;
  readonly recipe: ModuleRecipe;
  readonly imports: ImportTable;
  readonly steps: readonly Step[];
  /** Region of each value held in memory (inputs, constants, kernel writes, scratch). */
  readonly regionOf: ReadonlyMap<number, Region>;
  /** Extra constant data (offset tables) placed once at instantiation. */
  readonly tables: ReadonlyArray<readonly [Region, Int32Array]>;
  readonly bytes: number;
}

class Layout {
  top = 0;
  readonly regionOf = new Map<number, Region>();
  alloc(dt: DType, n: number): Region {
    const r = { off: this.top, dt, n };
    // 16-byte aligned, with a vector's worth of slack: masked loop tails load a whole v128.
    this.top += Math.ceil((n * ELEM_BYTES[dt] + 16) / 16) * 16 + 16;
    return r;
  }
  of(p: Program, id: number): Region {
    let r = this.regionOf.get(id);
    if (!r) {
      const v = p.values[id]!;
      this.regionOf.set(id, (r = this.alloc(v.dtype, sizeOf(v.shape))));
    }
    return r;
  }
}

export function lowerProgram(p: Program, options: { optimize?: boolean } = {}): Plan {
  for (const ins of p.body) {
    if (isControl(ins.op)) throw new TierUnavailableError(`wasm tier: control flow (${ins.op}) is not lowered to wasm; the signature stays in its current tier`);
  }
  const fused = fuse(p);
  const layout = new Layout();
  for (const id of p.inputs) layout.of(p, id);
  for (const id of p.consts.keys()) layout.of(p, id);
  const imports: ImportTable = new Map();
  const steps: Step[] = [];
  const tables: [Region, Int32Array][] = [];
  const funcs = [];
  const kernels = fused.kernels;
  for (let ki = 0; ki < kernels.length; ki++) {
    const k = kernels[ki]!;
    if (k.kind === "single") {
      const main = k.main;
      const args = main.args.map((a) => layout.of(p, a));
      const out = layout.of(p, main.out);
      steps.push({ js: (view) => runInstr(main, p.values, args.map(view), view(out)) });
      continue;
    }
    const fn = new Fn(`k${ki}`);
    {
      const loopFor = (shape: Shape, instrs: readonly Instr[], extraDst: readonly number[]): EwLoop => {
        const n = sizeOf(shape);
        const defined = new Set(instrs.map((i) => i.out));
        const src = new Map<number, Region>();
        for (const ins of instrs) {
          for (const a of ins.args) {
            if (defined.has(a) || src.has(a)) continue;
            const m = sizeOf(p.values[a]!.shape);
            if (m === n || m === 1) src.set(a, layout.of(p, a));
            else src.set(a, materializeBroadcast(p, a, shape, layout, steps));
          }
        }
        const dst = new Map<number, Region>();
        for (const id of [...k.writes, ...extraDst]) if (defined.has(id)) dst.set(id, layout.of(p, id));
        return { n, instrs, src, dst };
      };
      if (k.kind === "elementwise") emitElementwise(fn, p.values, loopFor(k.shape, k.body, []), imports);
      else {
        const main = k.main;
        const operands = main.args;
        if (k.prologue.length) {
          // Each prologue instruction belongs to the operand whose size it has; emit one loop per operand.
          for (const a of operands) {
            const mine = k.prologue.filter((ins) => sizeOf(p.values[ins.out]!.shape) === sizeOf(p.values[a]!.shape));
            if (mine.length && mine.some((ins) => ins.out === a)) emitElementwise(fn, p.values, loopFor(p.values[a]!.shape, mine, [a]), imports);
          }
        }
        const outR = layout.of(p, main.out);
        if (k.kind === "reduce") emitReduction(fn, p, main, layout, tables);
        else {
          const [M, K] = p.values[operands[0]!]!.shape as [number, number];
          emitMatmul(fn, layout.of(p, operands[0]!), layout.of(p, operands[1]!), outR, M, K, p.values[main.out]!.shape[1]!, imports);
        }
        if (k.epilogue.length) emitElementwise(fn, p.values, loopFor(p.values[main.out]!.shape, k.epilogue, []), imports);
      }
    }
    funcs.push(fn.finish());
    steps.push({ wasm: fn.name });
  }
  // Outputs that no kernel writes (inputs, constants) still need a region to copy from.
  for (const o of p.outputs) layout.of(p, o);
  const pages = Math.max(1, Math.ceil(layout.top / 65536));
  const recipe: ModuleRecipe = {
    pages,
    imports: [...imports].map(([name, { arity }]) => ({ name, params: new Array(arity).fill("f64"), result: "f64" })),
    funcs,
    ...(options.optimize ? { optimize: true } : {}),
  };
  return { program: p, recipe, imports, steps, regionOf: layout.regionOf, tables, bytes: layout.top };
}

function materializeBroadcast(p: Program, id: number, shape: Shape, layout: Layout, steps: Step[]): Region {
  const v = p.values[id]!;
  const src = layout.of(p, id);
  const dst = layout.alloc(v.dtype, sizeOf(shape));
  steps.push({ js: (view) => broadcast(view(src), v.shape, shape, view(dst)) });
  return dst;
}

function emitReduction(fn: Fn, p: Program, main: Instr, layout: Layout, tables: [Region, Int32Array][]): void {
  const inV = p.values[main.args[0]!]!;
  const input = layout.of(p, main.args[0]!);
  const out = layout.of(p, main.out);
  const axes = main.axes!;
  const r = inV.shape.length;
  const op = main.op as ReduceOp;
  const trailing = axes.every((a, i) => a === r - axes.length + i);
  if (trailing) return emitReduceContiguous(fn, op, input, out, sizeOf(axes.map((a) => inV.shape[a]!)));
  const strides = stridesOf(inV.shape);
  const kept = inV.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const table = (dims: number[]): Int32Array => offsets(dims.map((i) => inV.shape[i]!), dims.map((i) => strides[i]!));
  const outer = table(kept);
  const inner = table([...axes]);
  const outerR = layout.alloc("int32", outer.length);
  const innerR = layout.alloc("int32", inner.length);
  tables.push([outerR, outer], [innerR, inner]);
  emitReduceGeneral(fn, op, input, out, outerR, innerR);
}

/** Offsets of the elements of a (shape, strides) view in row-major order. */
function offsets(shape: number[], strides: number[]): Int32Array {
  const n = sizeOf(shape);
  const res = new Int32Array(n);
  const idx = new Array<number>(shape.length).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    res[i] = off;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d]!++;
      off += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      off -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return res;
}

export type { Kernel };
