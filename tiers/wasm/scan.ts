// Tier-2 arg-reductions and scans: scalar loops that walk each output's elements in the
// order of the reference kernels (ir/kernels/scan.ts), one element at a time, with the
// comparison and combine ops of the op table lowered by ew.ts. Positions come from
// offset tables placed at instantiation, as for the general reduction (loops.ts).

import { ARG_REDUCE, SCAN, type ArgReduceOp, type ScanOp } from "../../ir/ops.js";
import { lowerOp } from "./ew.js";
import type { Fn } from "./fn.js";
import { x, type Expr } from "./recipe.js";
import { Lanes, type Region } from "./values.js";

/** out[o] = position j of the first extreme of in[outer[o] + inner[j]] (inner.n > 0). */
export function emitArgReduce(fn: Fn, op: ArgReduceOp, input: Region, out: Region, outer: Region, inner: Region): void {
  const dt = input.dt;
  const S = new Lanes(fn, false);
  const better = ARG_REDUCE[op].better;
  fn.loop(0, out.n, 1, (o) => {
    const base = S.load(outer, o).p[0]!;
    const at = (j: Expr) => x("i32.add", base, S.load(inner, j).p[0]!);
    const best = S.mutable(dt, S.load(input, at(x("i32.const", 0))));
    const pos = S.mutable("int32", S.const("int32", 0));
    fn.loop(1, inner.n, 1, (j) => {
      const v = S.load(input, at(j));
      const b = best.get();
      // Take v when the best is not NaN and v is NaN or better (numpy: the first NaN wins).
      const take = x("i32.and", lowerOp(S, "equal", dt, "bool", [b, b]).p[0]!, x("i32.or", lowerOp(S, "notEqual", dt, "bool", [v, v]).p[0]!, lowerOp(S, better, dt, "bool", [v, b]).p[0]!));
      const t = fn.let("i32", take);
      best.set(S.let(dt, [x("select", t, v.p[0]!, b.p[0]!)]));
      pos.set(S.let("int32", [x("select", t, j, pos.get().p[0]!)]));
    });
    S.store(out, o, pos.get());
  });
}

/** Running combine along an axis of length m and stride `step`: the scan of each line starting at in[outer[o]]. */
export function emitScan(fn: Fn, op: ScanOp, input: Region, out: Region, outer: Region, m: number, step: number): void {
  const dt = input.dt;
  const S = new Lanes(fn, false);
  const def = SCAN[op];
  if (m === 0) return;
  fn.loop(0, outer.n, 1, (o) => {
    const base = S.load(outer, o).p[0]!;
    const acc = S.mutable(dt, S.const(dt, def.start(dt)));
    fn.loop(0, m, 1, (j) => {
      const at = fn.let("i32", x("i32.add", base, x("i32.mul", j, x("i32.const", step))));
      const v = lowerOp(S, def.combine, dt, dt, [acc.get(), S.load(input, at)]);
      acc.set(v);
      S.store(out, at, acc.get());
    });
  });
}
