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

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}
