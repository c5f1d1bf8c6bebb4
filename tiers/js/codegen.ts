// Tier-1 code generation: one fused kernel (ir/kernel.ts) becomes the source of a
// JS factory `(math..., captured buffers..., dims..., tables...) => run(per-call buffers...)`.
//
// - Elementwise kernels are one loop over the linear index (a loop nest when a read
//   broadcasts or a static slice is read as a view: each keeps its own offset, a slice's
//   from its start with its strides); every intermediate is a `const` in the loop body.
// - Reductions and matmuls keep the canonical summation order of ir/kernels/reduce.ts
//   (term j into partial p[j % 4], partials from -0, (p0 + p1) + (p2 + p3); a reduction
//   does so per block of REDUCE_BLOCK terms and merges the blocks pairwise); their
//   prologue is evaluated per term (a broadcast read at its offset in the operand's
//   shape), their epilogue per result element. (A k-outer
//   matmul for one-row products, streaming b once into 4 x N partials in memory, was
//   measured 1.7x slower than this j-outer order on the regression step's [1,N]x[N,10]:
//   the loop-carried partials in memory cost more than re-reading b with a stride.)
// - Shape-dependent integers go through `Dims`: baked in as literals, or (size-generic
//   mode) named parameters `d0, d1, ...` bound per signature. The generic source is
//   therefore the same for every shape of a family and serves as its cache key.
// - Nothing from the user reaches the source: names are generated (`r0`, `v12`),
//   numbers are written by `lit`, labels and keys are never consulted.

import { allocate, type DType, type TypedArray } from "../../ir/dtype.js";
import { InternalError } from "../../ir/errors.js";
import type { ContractionKernel, ElementwiseKernel, Kernel, MatmulKernel, ReduceKernel } from "../../ir/kernel.js";
import { REDUCE, type ElementwiseOp } from "../../ir/ops.js";
import type { Instr, InstrOf, Program } from "../../ir/program.js";
import { sliceView } from "../../ir/indexing.js";
import { broadcastStrides, offsetTable, sizeOf, stridesOf, type Shape } from "../../ir/shape.js";
import { REDUCE_BLOCK } from "../../ir/kernels/reduce.js";
import { ELEMENTWISE_JS, MATH_NAMES, combineJs, lit } from "./templates.js";

/** Where the kernel finds a buffer: bound once per signature, or passed on every call. */
export type Placement = "captured" | "call";

export interface KernelCode {
  /** Full factory source (parameter list and body): the cache key of the compiled factory. */
  readonly key: string;
  readonly params: readonly string[];
  readonly body: string;
  /** Values of the d-parameters (generic mode) and the tables, in factory order. */
  readonly dims: readonly number[];
  readonly tables: readonly (() => TypedArray)[];
  /** Which reads/writes are run parameters, in run-parameter order (index into reads ++ writes). */
  readonly callSlots: readonly number[];
  /** Which reads/writes the factory captures, in factory order. */
  readonly capturedSlots: readonly number[];
}

class Dims {
  readonly values: number[] = [];
  readonly tables: (() => TypedArray)[] = [];
  constructor(readonly generic: boolean) {}
  dim(x: number): string {
    if (!this.generic) return String(x);
    this.values.push(x);
    return `d${this.values.length - 1}`;
  }
  table(make: () => TypedArray): string {
    this.tables.push(make);
    return `t${this.tables.length - 1}`;
  }
}

/** Emits the statements of a run of instructions at one element index (a loop body or one unrolled lane). */
class Block {
  readonly lines: string[] = [];
  /** Stores wait until every load of the block is done: a state output may be written over an input read at the same index. */
  private readonly stores: string[] = [];
  private readonly loaded = new Map<number, string>();
  constructor(
    private readonly g: Gen,
    /** Linear index expression of the instructions' results. */
    readonly idx: string,
    /** Size of those results: reads of this size are read at `idx`. */
    private readonly size: number,
    /** Index expression of a read that broadcasts (true broadcast), by read position. */
    private readonly bidx: (pos: number) => string,
    private readonly suffix: string,
    /** Index expression of a slice instruction's read of its operand (elementwise kernels only). */
    private readonly sidx?: (ins: Instr) => string,
  ) {}

  /** An identifier or literal holding value `id` at this index. */
  ref(id: number): string {
    const t = this.g.temps.get(id);
    if (t !== undefined) return `${t}${this.suffix}`;
    const pos = this.g.k.reads.indexOf(id);
    if (pos < 0) throw new InternalError(`kernel reads %${id} but does not list it`);
    if (this.g.sizeOfValue(id) === 1) return this.g.scalarRead(pos);
    let name = this.loaded.get(id);
    if (name === undefined) {
      name = `m${pos}${this.suffix}`;
      const at = this.g.sizeOfValue(id) === this.size ? this.idx : this.bidx(pos);
      this.lines.push(`const ${name} = r${pos}[${at}];`);
      this.loaded.set(id, name);
    }
    return name;
  }

  emit(instrs: readonly Instr[]): void {
    for (const ins of instrs) {
      const name = `v${ins.out}`;
      this.g.temps.set(ins.out, `v${ins.out}`);
      if (ins.op === "slice") {
        const pos = this.g.k.reads.indexOf(ins.args[0]!);
        if (pos < 0 || !this.sidx) throw new InternalError("a slice whose operand is not a read of an elementwise kernel");
        this.lines.push(`const ${name}${this.suffix} = r${pos}[${this.sidx(ins)}];`);
      } else if (ins.op === "reshape") this.lines.push(`const ${name}${this.suffix} = ${this.ref(ins.args[0]!)};`);
      else this.lines.push(`const ${name}${this.suffix} = ${this.g.expr(ins, ins.args.map((a) => this.ref(a)))};`);
      this.store(ins.out);
    }
  }

  store(id: number, value?: string): void {
    const w = this.g.k.writes.indexOf(id);
    if (w >= 0) this.stores.push(`w${w}[${this.idx}] = ${value ?? `v${id}${this.suffix}`};`);
  }

  /** The block's statements: computations, then stores. */
  done(): string[] {
    return [...this.lines, ...this.stores];
  }
}

/** Ops whose float32 algorithm relaxed mode keeps (properties/relaxed.ts bounds them by that algorithm's own error). */
export const RELAXED_KEEPS_F32: ReadonlySet<string> = new Set(["sin", "cos", "exp", "log", "tanh", "sigmoid", "pow", "cbrt"]);

class Gen {
  readonly temps = new Map<number, string>();
  readonly hoist: string[] = [];
  private readonly scalars = new Map<number, string>();
  constructor(readonly p: Program, readonly k: Kernel, readonly d: Dims, readonly relaxed: boolean) {}
  /** The dtype whose semantics the code follows: relaxed mode computes float32 in float64. */
  arith(dt: DType): DType {
    return this.relaxed && dt === "float32" ? "float64" : dt;
  }
  sizeOfValue(id: number): number {
    return sizeOf(this.p.values[id]!.shape);
  }
  /** Literal (constants) or name hoisted out of the loops of a size-1 read. */
  scalarRead(pos: number): string {
    const id = this.k.reads[pos]!;
    let s = this.scalars.get(id);
    if (s === undefined) {
      const c = this.p.consts.get(id);
      s = c ? lit(c[0]!) : `s${pos}`;
      if (!c) this.hoist.push(`const s${pos} = r${pos}[0];`);
      this.scalars.set(id, s);
    }
    return s;
  }
  expr(ins: Instr, xs: string[]): string {
    const op = ins.op as ElementwiseOp;
    const dt: DType = op === "cast" ? this.p.values[ins.out]!.dtype : op === "where" ? this.p.values[ins.args[1]!]!.dtype : this.p.values[ins.args[0]!]!.dtype;
    // Float32 transcendentals keep their float32 algorithm even when relaxed. sin/cos: it
    // already runs in float64, and the float64 one is accurate over a smaller range
    // (|x| <= 2^19*pi/2, not 2^28*pi/2). exp/log/tanh/sigmoid: the float64 algorithms
    // cost more than the float32 ones (tanh64 ran tier-1 tanh at 1e5 in 2231 µs against
    // 1349 µs exact), and `exact: false` must never be slower than exact. pow/cbrt: the
    // float64 algorithms cost more against pow32's former float64 core (1e5 elements:
    // pow(|x|, 2.5) 22-26 ms relaxed against 15-16 ms exact, cbrt 15-19 against 13-16);
    // with pow32 in float32 arithmetic both pairs cost the same in JS (loops over 1e5:
    // pow 23.8 ms float32 against 23.2 ms float64, cbrt 10.9 against 10.9), so keeping
    // them costs nothing and keeps relaxed pow's bits equal to exact's.
    if (dt === "float32" && RELAXED_KEEPS_F32.has(op)) return ELEMENTWISE_JS[op](dt, ...xs);
    return ELEMENTWISE_JS[op](op === "cast" ? dt : this.arith(dt), ...xs);
  }
}

const indent = (lines: readonly string[], pad: string) => lines.map((l) => pad + l);

function elementwiseBody(g: Gen, k: ElementwiseKernel): string[] {
  const shape = k.shape;
  const size = sizeOf(shape);
  const n = g.d.dim(size);
  // Slices read their operand at their own strided offsets, never through `ref`.
  const slices = k.body.filter((ins): ins is InstrOf<"slice"> => ins.op === "slice");
  const plain = new Set(k.body.filter((ins) => ins.op !== "slice").flatMap((ins) => ins.args));
  const bcast = k.reads.map((id, pos) => ({ id, pos })).filter(({ id }) => plain.has(id) && g.sizeOfValue(id) !== 1 && g.sizeOfValue(id) !== size);
  if (bcast.length === 0 && slices.length === 0) {
    const b = new Block(g, "i", size, () => "i", "");
    b.emit(k.body);
    return [`for (let i = 0; i < ${n}; i++) {`, ...indent(b.done(), "  "), "}"];
  }
  // A loop nest over the kernel shape; each broadcast read and each slice keeps its own offset.
  const r = shape.length;
  const strides = bcast.map(({ id }) => broadcastStrides(g.p.values[id]!.shape, shape));
  const views = slices.map((ins) => sliceView(g.p.values[ins.args[0]!]!.shape, ins));
  const b = new Block(g, "i", size, (pos) => `o${r - 1}_${pos}`, "", (ins) => `o${r - 1}_s${slices.indexOf(ins as InstrOf<"slice">)}`);
  b.emit(k.body);
  const lines: string[] = ["let i = 0;"];
  for (let ax = 0; ax < r; ax++) {
    const pad = "  ".repeat(ax);
    lines.push(`${pad}for (let q${ax} = 0; q${ax} < ${g.d.dim(shape[ax]!)}; q${ax}++) {`);
    bcast.forEach(({ pos }, bi) => {
      const prev = ax === 0 ? "" : `o${ax - 1}_${pos} + `;
      lines.push(`${pad}  const o${ax}_${pos} = ${prev}q${ax} * ${g.d.dim(strides[bi]![ax]!)};`);
    });
    views.forEach((v, j) => {
      const prev = ax === 0 ? `${g.d.dim(v.start)} + ` : `o${ax - 1}_s${j} + `;
      lines.push(`${pad}  const o${ax}_s${j} = ${prev}q${ax} * ${g.d.dim(v.strides[ax]!)};`);
    });
  }
  const inner = "  ".repeat(r);
  lines.push(...indent(b.done(), inner), `${inner}i++;`);
  for (let ax = r - 1; ax >= 0; ax--) lines.push(`${"  ".repeat(ax)}}`);
  return lines;
}

/** One term of a contraction: prologue at index `at`, returning the operand's value. */
function term(g: Gen, k: ContractionKernel, operand: number, at: string, suffix: string, lines: string[], bidx: (pos: number) => string): string {
  const b = new Block(g, at, g.sizeOfValue(operand), bidx, suffix);
  const own = prologueOf(k, operand);
  b.emit(own);
  const v = b.ref(operand);
  lines.push(...b.done());
  return v;
}

/** The prologue instructions that feed `operand` (all of them, if the operand is a prologue value). */
function prologueOf(k: ContractionKernel, operand: number): Instr[] {
  const need = new Set([operand]);
  const out: Instr[] = [];
  for (let i = k.prologue.length - 1; i >= 0; i--) {
    const ins = k.prologue[i]!;
    if (!need.has(ins.out)) continue;
    out.push(ins);
    for (const a of ins.args) need.add(a);
  }
  return out.reverse();
}

function epilogue(g: Gen, k: ContractionKernel, at: string, result: string, bidx: (pos: number) => string): string[] {
  g.temps.set(k.main.out, result);
  const b = new Block(g, at, g.sizeOfValue(k.main.out), bidx, "");
  b.store(k.main.out, result);
  b.emit(k.epilogue);
  return b.done();
}

function reduceBody(g: Gen, k: ReduceKernel): string[] {
  const op = k.main.op;
  const x = k.main.args[0]!;
  const xs = g.p.values[x]!.shape;
  const dt = g.arith(g.p.values[x]!.dtype);
  const axes = k.main.axes;
  const r = xs.length;
  const m = sizeOf(axes.map((a) => xs[a]!));
  const nOut = sizeOf(xs.filter((_, i) => !axes.includes(i)));
  const suffix = axes.every((a, i) => a === r - axes.length + i);
  const prefix = !suffix && axes.every((a, i) => a === i);
  const M = g.d.dim(m);
  const NO = g.d.dim(nOut);
  let base: string;
  let off: (j: string) => string;
  if (suffix) {
    base = `o * ${M}`;
    off = (j) => `base + ${j}`;
  } else if (prefix) {
    base = "o";
    off = (j) => `base + (${j}) * ${NO}`;
  } else {
    const strides = stridesOf(xs);
    const kept = xs.map((_, i) => i).filter((i) => !axes.includes(i));
    const outer = g.d.table(() => offsetTable(kept.map((i) => xs[i]!), kept.map((i) => strides[i]!)));
    const inner = g.d.table(() => offsetTable(axes.map((i) => xs[i]!), axes.map((i) => strides[i]!)));
    base = `${outer}[o]`;
    off = (j) => `base + ${inner}[${j}]`;
  }
  const start = lit(REDUCE[op].start(dt));
  const comb = (a: string, b: string) => combineJs(op, dt, a, b);
  // A prologue read broadcast into the operand's shape: its offset splits into a part
  // from the kept axes (per output) and one from the reduced axes (per term), tabulated.
  const bt = new Map<number, [string, string]>();
  const bidxFor = (j: string) => (pos: number) => {
    let t = bt.get(pos);
    if (!t) {
      const st = broadcastStrides(g.p.values[k.reads[pos]!]!.shape, xs);
      const kept = xs.map((_, i) => i).filter((i) => !axes.includes(i));
      t = [
        g.d.table(() => offsetTable(kept.map((i) => xs[i]!), kept.map((i) => st[i]!))),
        g.d.table(() => offsetTable(axes.map((i) => xs[i]!), axes.map((i) => st[i]!))),
      ];
      bt.set(pos, t);
    }
    return `${t[0]}[o] + ${t[1]}[${j}]`;
  };
  const lane = (l: number, j: string): string[] => {
    const lines: string[] = [`const at${l} = ${off(j)};`];
    const v = term(g, k, x, `at${l}`, `_${l}`, lines, bidxFor(j));
    lines.push(`p${l} = ${comb(`p${l}`, v)};`);
    return ["{", ...indent(lines, "  "), "}"];
  };
  const empty = lit(REDUCE[op].empty(dt) ?? REDUCE[op].start(dt));
  const B = lit(REDUCE_BLOCK);
  // Blocks of REDUCE_BLOCK terms, merged as ir/kernels/reduce.ts foldBlocks does (a
  // float64 stack holds float32 and int32 values exactly).
  return [
    "const stk = new Float64Array(33);",
    `for (let o = 0; o < ${NO}; o++) {`,
    `  const base = ${base};`,
    "  let sp = 0;",
    `  for (let lo = 0, b = 1; lo < ${M}; lo += ${B}, b++) {`,
    `    const hi = lo + ${B} < ${M} ? lo + ${B} : ${M};`,
    `    let p0 = ${start}, p1 = ${start}, p2 = ${start}, p3 = ${start};`,
    "    let j = lo;",
    "    for (; j + 4 <= hi; j += 4) {",
    ...indent([0, 1, 2, 3].flatMap((l) => lane(l, l ? `j + ${l}` : "j")), "      "),
    "    }",
    ...[0, 1, 2].flatMap((l) => ["    if (j < hi) {", ...indent(lane(l, "j"), "      "), "      j++;", "    }"]),
    `    let v = ${comb(comb("p0", "p1"), comb("p2", "p3"))};`,
    "    for (let c = b; (c & 1) === 0; c >>= 1) {",
    "      const t = stk[--sp];",
    `      v = ${comb("t", "v")};`,
    "    }",
    "    stk[sp++] = v;",
    "  }",
    `  let res = ${empty};`,
    "  if (sp > 0) {",
    "    res = stk[--sp];",
    "    while (sp > 0) {",
    "      const t = stk[--sp];",
    `      res = ${comb("t", "res")};`,
    "    }",
    "  }",
    ...indent(epilogue(g, k, "o", "res", () => {
      throw new InternalError("broadcast read in a reduction epilogue");
    }), "  "),
    "}",
  ];
}

function matmulBody(g: Gen, k: MatmulKernel): string[] {
  const [a, b] = k.main.args as [number, number];
  const as = g.p.values[a]!.shape;
  const [m, kk] = as.slice(-2) as [number, number];
  const n = g.p.values[b]!.shape[as.length - 1]!;
  // A batch [B,M,K]x[B,K,N] runs the 2-D loops once per product, at offsets t*M*K, t*K*N, t*M*N.
  const batched = as.length === 3;
  const outShape = g.p.values[k.main.out]!.shape;
  const dt = g.arith(g.p.values[k.main.out]!.dtype);
  const M = g.d.dim(m);
  const K = g.d.dim(kk);
  const N = g.d.dim(n);
  const Z = lit(dt === "int32" ? 0 : -0);
  const add = (x: string, y: string) => ELEMENTWISE_JS.add(dt, x, y);
  const mul = (x: string, y: string) => ELEMENTWISE_JS.mul(dt, x, y);
  // A broadcast read's offset from its strides in `shape` (2-D, or 3-D with the batch index t first).
  const strided = (pos: number, shape: Shape, row: string, col: string, cache: Map<string, string[]>, key: string) => {
    let st = cache.get(key);
    if (!st) {
      const bs = broadcastStrides(g.p.values[k.reads[pos]!]!.shape, shape);
      cache.set(key, (st = bs.map((v) => g.d.dim(v))));
    }
    return batched ? `t * ${st[0]} + ${row} * ${st[1]} + (${col}) * ${st[2]}` : `${row} * ${st[0]} + (${col}) * ${st[1]}`;
  };
  const bstr = new Map<string, string[]>();
  const bidx = (pos: number) => strided(pos, outShape as Shape, "i", "j", bstr, String(pos));
  const finish = (p: [string, string, string, string]) => `${K} === 0 ? 0 : ${add(add(p[0], p[1]), add(p[2], p[3]))}`;
  // A prologue read broadcast into its operand's shape ([M,K] for a, [K,N] for b): offset from the operand's own strides.
  const pstr = new Map<string, string[]>();
  const pidx = (operand: number, row: string, col: string) => (pos: number) => strided(pos, g.p.values[operand]!.shape, row, col, pstr, `${operand}:${pos}`);
  const lane = (l: number, kx: string): string[] => {
    const lines: string[] = [];
    const av = term(g, k, a, `ra + ${kx}`, `_a${l}`, lines, pidx(a, "i", kx));
    const bv = term(g, k, b, `${batched ? "ob + " : ""}(${kx}) * ${N} + j`, `_b${l}`, lines, pidx(b, `(${kx})`, "j"));
    lines.push(`p${l} = ${add(`p${l}`, mul(av, bv))};`);
    return ["{", ...indent(lines, "  "), "}"];
  };
  const body = k.prologue.length === 0 && m >= 2 && n >= 2 && kk >= 4 ? blockedMatmul(g, k, M, K, N, m, kk, n, batched, (row, col) => (pos) => strided(pos, outShape as Shape, row, col, bstr, String(pos))) : [
    `for (let i = 0; i < ${M}; i++) {`,
    `  const ra = ${batched ? "oa + " : ""}i * ${K};`,
    `  for (let j = 0; j < ${N}; j++) {`,
    `    let p0 = ${Z}, p1 = ${Z}, p2 = ${Z}, p3 = ${Z};`,
    "    let k = 0;",
    `    for (; k + 4 <= ${K}; k += 4) {`,
    ...indent([0, 1, 2, 3].flatMap((l) => lane(l, l ? `k + ${l}` : "k")), "      "),
    "    }",
    ...[0, 1, 2].flatMap((l) => [`    if (k < ${K}) {`, ...indent(lane(l, "k"), "      "), "      k++;", "    }"]),
    `    const e = ${batched ? "oo + " : ""}i * ${N} + j;`,
    `    const res = ${finish(["p0", "p1", "p2", "p3"])};`,
    ...indent(epilogue(g, k, "e", "res", bidx), "    "),
    "  }",
    "}",
  ];
  if (!batched) return body;
  return [
    `for (let t = 0; t < ${g.d.dim(as[0]!)}; t++) {`,
    `  const oa = t * ${g.d.dim(m * kk)}, ob = t * ${g.d.dim(kk * n)}, oo = t * ${g.d.dim(m * n)};`,
    ...indent(body, "  "),
    "}",
  ];
}


/**
 * A prologue-free matmul as a register-blocked kernel over a packed copy of b, in the
 * canonical order: 2x2 tiles of outputs, each with its four partials as locals (16
 * accumulators), four k per step. b is packed once per product into panels of two
 * columns, each as chunks of four k (`pk[((jp * KC + kc) * 2 + q) * 4 + l] = b[4kc + l,
 * 2jp + q]`), so the inner loop reads a's two rows and the panel sequentially, where the
 * plain loop read b down a column (a new cache line per term for large N). Measured
 * side by side against that loop (float32, standalone kernels, 256: 1.36 against 0.91
 * GFLOP/s; 512: 1.12 against 0.64); 1x2, 1x4, 2x1, 2x4 and 4x1 tiles were slower.
 * `bidx(row, col)` gives an epilogue's broadcast reads at output (row, col).
 */
function blockedMatmul(g: Gen, k: MatmulKernel, M: string, K: string, N: string, m: number, kk: number, n: number, batched: boolean, bidx: (row: string, col: string) => (pos: number) => string): string[] {
  const [a, b] = k.main.args as [number, number];
  const dt = g.arith(g.p.values[k.main.out]!.dtype);
  const store = g.p.values[b]!.dtype;
  const ra = `r${k.reads.indexOf(a)}`;
  const rb = `r${k.reads.indexOf(b)}`;
  const Z = lit(dt === "int32" ? 0 : -0);
  const add = (x: string, y: string) => ELEMENTWISE_JS.add(dt, x, y);
  const mul = (x: string, y: string) => ELEMENTWISE_JS.mul(dt, x, y);
  const KC = Math.ceil(kk / 4);
  const kt = kk % 4;
  const pk = g.d.table(() => allocate(store, Math.ceil(n / 2) * KC * 8));
  const KCs = g.d.dim(KC);
  const K4 = g.d.dim(kk - kt);
  const oa = batched ? "oa + " : "";
  const ob = batched ? "ob + " : "";
  const oo = batched ? "oo + " : "";
  const lines: string[] = [
    `for (let kq = 0; kq < ${K}; kq++) {`,
    `  const kc = kq >> 2, l = kq & 3, row = ${ob}kq * ${N};`,
    `  for (let j = 0; j < ${N}; j++) ${pk}[(((j >> 1) * ${KCs} + kc) * 2 + (j & 1)) * 4 + l] = ${rb}[row + j];`,
    "}",
  ];
  /** Output tile: R rows from i, Q columns of panel jp; `ls` of the four lanes in the step. */
  const tile = (R: number, Q: number): string[] => {
    const acc = (r: number, q: number, l: number) => `p${r}${q}${l}`;
    const names: string[] = [];
    for (let r = 0; r < R; r++) for (let q = 0; q < Q; q++) for (let l = 0; l < 4; l++) names.push(acc(r, q, l));
    const step = (ls: number) => {
      const out: string[] = [];
      for (let r = 0; r < R; r++) for (let l = 0; l < ls; l++) out.push(`const a${r}${l} = ${ra}[ra${r} + ${l}];`);
      for (let q = 0; q < Q; q++) for (let l = 0; l < ls; l++) out.push(`const b${q}${l} = ${pk}[pb + ${q * 4 + l}];`);
      for (let r = 0; r < R; r++) for (let q = 0; q < Q; q++) for (let l = 0; l < ls; l++) out.push(`${acc(r, q, l)} = ${add(acc(r, q, l), mul(`a${r}${l}`, `b${q}${l}`))};`);
      return out;
    };
    const body = [
      `let ${names.map((v) => `${v} = ${Z}`).join(", ")};`,
      `let pb = jp * ${g.d.dim(KC * 8)};`,
      ...Array.from({ length: R }, (_, r) => `let ra${r} = ${oa}(i + ${r}) * ${K};`),
      `for (let kc = 0; kc < ${K4}; kc += 4) {`,
      ...indent(step(4), "  "),
      ...Array.from({ length: R }, (_, r) => `  ra${r} += 4;`),
      "  pb += 8;",
      "}",
      ...(kt ? ["{", ...indent(step(kt), "  "), "}"] : []),
    ];
    for (let r = 0; r < R; r++) {
      for (let q = 0; q < Q; q++) {
        const p = (l: number) => acc(r, q, l);
        body.push(
          "{",
          `  const ii = i + ${r}, jj = jp * 2 + ${q};`,
          `  const e = ${oo}ii * ${N} + jj;`,
          `  const res = ${add(add(p(0), p(1)), add(p(2), p(3)))};`,
          ...indent(epilogue(g, k, "e", "res", bidx("ii", "jj")), "  "),
          "}",
        );
      }
    }
    return body;
  };
  const NP2 = g.d.dim(n >> 1);
  const panels = (R: number) => [
    `for (let jp = 0; jp < ${NP2}; jp++) {`,
    ...indent(tile(R, 2), "  "),
    "}",
    ...(n & 1 ? ["{", `  const jp = ${NP2};`, ...indent(tile(R, 1), "  "), "}"] : []),
  ];
  lines.push(
    `for (let i = 0; i + 2 <= ${M}; i += 2) {`,
    ...indent(panels(2), "  "),
    "}",
    ...(m & 1 ? ["{", `  const i = ${M} - 1;`, ...indent(panels(1), "  "), "}"] : []),
  );
  return lines;
}

/**
 * Generates kernel `k` of `p`. `placement[s]` says where slot s (reads, then writes)
 * lives. `generic` names every shape-dependent integer instead of baking it in.
 * `relaxed` (the jit option `exact: false`) computes float32 in float64, with the
 * float64 transcendentals, rounding only where values are stored or cast: faster,
 * no longer bit-identical to tier 0 (tiers/js/relaxed.test.ts bounds the difference).
 */
export function generateKernel(p: Program, k: Kernel, placement: readonly Placement[], generic: boolean, relaxed = false): KernelCode {
  if (k.kind === "single") throw new InternalError("single kernels are not generated");
  const d = new Dims(generic);
  const g = new Gen(p, k, d, relaxed);
  const lines = k.kind === "elementwise" ? elementwiseBody(g, k) : k.kind === "reduce" ? reduceBody(g, k) : matmulBody(g, k);
  const slotName = (s: number) => (s < k.reads.length ? `r${s}` : `w${s - k.reads.length}`);
  const callSlots: number[] = [];
  const capturedSlots: number[] = [];
  placement.forEach((pl, s) => (pl === "call" ? callSlots : capturedSlots).push(s));
  const params = [...MATH_NAMES, ...capturedSlots.map(slotName), ...d.values.map((_, i) => `d${i}`), ...d.tables.map((_, i) => `t${i}`)];
  const body = [
    '"use strict";',
    `return function ${k.kind}Kernel(${callSlots.map(slotName).join(", ")}) {`,
    ...indent([...g.hoist, ...lines], "  "),
    "};",
  ].join("\n");
  return { key: `${params.join(",")}\n${body}`, params, body, dims: d.values, tables: d.tables, callSlots, capturedSlots };
}
