// A wasm module as plain data: the lowering (main thread) builds a ModuleRecipe, the
// compile worker (service.ts) replays it with binaryen. Each `Expr` is one binaryen
// builder call: `{ o: "f32x4.add", a: [l, r] }` is `module.f32x4.add(l, r)`. Keeping
// the recipe serialisable is what lets binaryen live only in a worker thread (no
// 0.6 s load on the main thread) and keeps the worker's source a 40-line replayer.
//
// Arguments: numbers, bigints (i64.const) and strings pass through (offsets, lane indices, labels), an
// array is mapped element-wise (block children, shuffle masks, v128 bytes), `{ t }`
// is a binaryen type (an array of types becomes a tuple type for params).

export type Ty = "none" | "i32" | "i64" | "f32" | "f64" | "v128";

export interface Expr {
  readonly o: string;
  readonly a: readonly Arg[];
}
export interface TypeArg {
  readonly t: Ty | readonly Ty[];
}
export type Arg = number | bigint | string | null | undefined | Expr | TypeArg | readonly Arg[];

export interface FuncRecipe {
  readonly name: string;
  readonly params: readonly Ty[];
  readonly result: Ty;
  readonly vars: readonly Ty[];
  readonly body: Expr;
}

export interface ImportRecipe {
  readonly name: string;
  readonly params: readonly Ty[];
  readonly result: Ty;
}

export interface ModuleRecipe {
  /** Size of the imported memory `env.mem` in 64 KiB pages (initial = maximum: it never grows). */
  readonly pages: number;
  readonly imports: readonly ImportRecipe[];
  /** Every function is exported under its name. */
  readonly funcs: readonly FuncRecipe[];
  /** Run binaryen's optimizer (-O3 style) before emitting; off by default (see CONTRIBUTING.md). */
  readonly optimize?: boolean;
  /**
   * Also print the module as WAT. Off for compiles: printing took longer than building
   * the module (gelu: ~1 ms typical, up to 25 ms, against ~0.7 ms for build, validate
   * and binary), so the WAT is built only when inspect() asks for it.
   */
  readonly text?: boolean;
}

export interface CompiledModule {
  readonly bytes: Uint8Array;
  /** The WAT text, when the recipe asked for it. */
  readonly wat?: string;
  /** Milliseconds the worker spent in binaryen (build + validate + emit), excluding its load. */
  readonly buildMs: number;
  /** The module compiled already (browsers: the worker compiles asynchronously, see host-browser.ts). */
  readonly module?: WebAssembly.Module;
}

export const x = (o: string, ...a: Arg[]): Expr => ({ o, a });
export const ty = (t: Ty | readonly Ty[]): TypeArg => ({ t });

/** The 16 bytes of a v128 whose lanes all hold `v` as the given element type. */
export function splatBytes(elem: "f32" | "f64" | "i32" | "i64", v: number | bigint): number[] {
  const buf = new ArrayBuffer(16);
  if (elem === "f32") new Float32Array(buf).fill(v as number);
  else if (elem === "f64") new Float64Array(buf).fill(v as number);
  else if (elem === "i32") new Int32Array(buf).fill(v as number);
  else new BigInt64Array(buf).fill(BigInt(v));
  return [...new Uint8Array(buf)];
}

/** The 16 bytes of a v128 with the four given i32 lanes. */
export function i32x4Bytes(l: readonly number[]): number[] {
  return [...new Uint8Array(Int32Array.from(l).buffer)];
}
