// Every error a user can cause is one of these: a named class and a message that says
// what was wrong and where. Internal invariant failures use `InternalError` so that a
// bug in tierjit never masquerades as a user mistake.

export class TierjitError extends Error {
  override name = "TierjitError";
}

/** Shapes that do not fit an op (broadcasting, reshape, matmul, axes). */
export class ShapeError extends TierjitError {
  override name = "ShapeError";
}

/** A dtype an op or an assignment does not accept. */
export class DTypeError extends TierjitError {
  override name = "DTypeError";
}

/** An array larger than tierjit supports (see MAX_ELEMENTS / MAX_BYTES in ir/dtype.ts). */
export class SizeError extends ShapeError {
  override name = "SizeError";
}

function fmtBytes(b: number): string {
  return b >= 2 ** 30 ? `${(b / 2 ** 30).toPrecision(3)} GiB` : b >= 2 ** 20 ? `${(b / 2 ** 20).toPrecision(3)} MiB` : `${b} bytes`;
}

/** The message of a SizeError: what, how big, and the limits. */
export function sizeMessage(what: string, n: number, dtype: string, shape?: readonly number[]): string {
  const bytes = n * ({ float32: 4, float64: 8, int32: 4, bool: 1 } as Record<string, number>)[dtype]!;
  const of = shape ? `shape ${fmtShape(shape)}, ` : "";
  return `${what}: ${of}${n} elements of ${dtype} (${fmtBytes(bytes)}) is larger than tierjit supports: at most 2^31-1 elements and 2 GiB per array`;
}

/** A static index outside its axis (numpy's IndexError): the message names the axis, the index and the size. */
export class IndexError extends TierjitError {
  override name = "IndexError";
}

/** A bad argument: wrong type, out-of-range axis, bad option. */
export class ArgumentError extends TierjitError {
  override name = "ArgumentError";
}

/** A traced (abstract) value used where a concrete one is needed, or used after its trace ended. */
export class TracerError extends TierjitError {
  override name = "TracerError";
}

/** A tier that cannot be used here (not built yet, or refused by the environment). */
export class TierUnavailableError extends TierjitError {
  override name = "TierUnavailableError";
}

export class InternalError extends Error {
  override name = "InternalError";
  constructor(message: string) {
    super(`tierjit internal error: ${message} (this is a bug in tierjit, please report it)`);
  }
}

/**
 * Throws when `x` is a traced JS number (vm/ndarray.ts sets `_staticHint` on them)
 * used where a static value is needed: `where` says what needed it (a shape, an axis,
 * a loop bound), the hint names the argument and `staticArgnums`.
 */
export function requireStatic(where: string, x: unknown): void {
  if (x !== null && typeof x === "object" && typeof (x as { _staticHint?: unknown })._staticHint === "string") {
    throw new TracerError(`${where} must be a static number, but ${(x as { _staticHint: string })._staticHint}`);
  }
}

/** A user's value as an error message shows it: JSON where JSON can say it, never throwing (BigInt, cycles, symbols). */
export function show(x: unknown): string {
  if (typeof x === "bigint") return `${x}n`;
  if (typeof x === "symbol" || typeof x === "function") return typeof x === "function" ? "a function" : String(x);
  if (x === undefined) return "undefined";
  if (typeof x === "number") return Object.is(x, -0) ? "-0" : String(x);
  if (ArrayBuffer.isView(x)) return `a ${x.constructor.name}`;
  try {
    const s = JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? `${v}n` : typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
    if (s !== undefined) return s.length > 200 ? `${s.slice(0, 200)}...` : s;
  } catch {
    // a cycle
  }
  return `a ${(x as object).constructor?.name ?? "object"}`;
}

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}
