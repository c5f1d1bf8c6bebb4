// Tier 2's lowering of the assembly primitives (ir/kernels/assembly.ts): remap and
// concat. Where the output's innermost axis reads consecutive input elements (slices,
// pads, rolls, splits, concatenations) whole rows move as v128 copies (movement.ts
// emitCopy); otherwise a remap gathers through its full offset table, placed once at
// instantiation.
//
// A row copy may store up to 15 bytes past the row's end: into the next row (or the
// next operand's block of the same row), which is written after it, or into the
// output region's slack. Rows are therefore emitted in increasing output order.

import { concatBlocks, innerContiguous, remapTable } from "../../ir/kernels/assembly.js";
import type { Shape } from "../../ir/shape.js";
import { x } from "./recipe.js";
import type { Fn } from "./fn.js";
import type { Layout } from "./layout.js";
import { emitCopy, emitGather } from "./movement.js";
import { ELEM_BYTES, type Region } from "./values.js";

/** Rows shorter than a vector gather element by element instead. */
const MIN_ROW_BYTES = 16;

export function emitRemap(fn: Fn, layout: Layout, src: Region, out: Region, offsets: readonly (readonly number[])[]): void {
  if (out.n === 0) return;
  const sz = ELEM_BYTES[out.dt];
  const inner = offsets[offsets.length - 1];
  if (inner === undefined || !innerContiguous(offsets) || inner.length * sz < MIN_ROW_BYTES) {
    return emitGather(fn, src, out, layout.table("int32", remapTable(offsets)));
  }
  const rowBytes = inner.length * sz;
  const starts = remapTable(offsets.slice(0, -1)).map((o) => (o + inner[0]!) * sz);
  if (starts.length === 1) return emitCopy(fn, src, x("i32.const", starts[0]!), out, null, rowBytes);
  const table = layout.table("int32", starts);
  fn.loop(0, starts.length, 1, (r) => {
    const at = fn.let("i32", x("i32.load", table.off, 4, x("i32.shl", r, x("i32.const", 2))));
    emitCopy(fn, src, at, out, fn.let("i32", x("i32.mul", r, x("i32.const", rowBytes))), rowBytes);
  });
}

export function emitConcat(fn: Fn, srcs: readonly Region[], shapes: readonly Shape[], axis: number, out: Region): void {
  if (out.n === 0) return;
  const sz = ELEM_BYTES[out.dt];
  const { rows, blocks } = concatBlocks(shapes, axis);
  const width = blocks.reduce((a, b) => a + b, 0) * sz;
  const row = (r: ReturnType<typeof x> | null) => {
    let at = 0;
    srcs.forEach((s, k) => {
      const b = blocks[k]! * sz;
      if (b > 0) {
        const srcAt = r === null ? null : fn.let("i32", x("i32.mul", r, x("i32.const", b)));
        const dstAt = r === null ? x("i32.const", at) : fn.let("i32", x("i32.add", x("i32.mul", r, x("i32.const", width)), x("i32.const", at)));
        emitCopy(fn, s, srcAt, out, dstAt, b);
      }
      at += b;
    });
  };
  if (rows === 1) row(null);
  else fn.loop(0, rows, 1, (r) => row(r));
}
