// Reference kernels of the two assembly primitives every numpy assembly function is
// composed from (vm/assembly.ts):
// - remap: a static separable index map. Output axis d contributes the input element
//   offset offsets[d][j_d] at position j_d; an output element reads the input at the
//   sum of its axes' contributions. Slices with any step, flip, repeat, tile, roll,
//   edge and reflect padding, split pieces and transposes are all remaps, so one
//   primitive (and one tier-2 lowering) serves them all.
// - concat: the operands joined along one axis.
// Both only move elements, so every tier agrees bit for bit by copying.

import type { TypedArray } from "../dtype.js";
import { sizeOf, type Shape } from "../shape.js";

/** The full input offset of every output element, row-major (tier 2 places it as a table). */
export function remapTable(offsets: readonly (readonly number[])[]): Int32Array {
  let table = new Int32Array([0]);
  for (const axis of offsets) {
    const next = new Int32Array(table.length * axis.length);
    let k = 0;
    for (let i = 0; i < table.length; i++) for (let j = 0; j < axis.length; j++) next[k++] = table[i]! + axis[j]!;
    table = next;
  }
  return table;
}

/** Whether the innermost output axis reads consecutive input elements (rows can be copied whole). */
export function innerContiguous(offsets: readonly (readonly number[])[]): boolean {
  const last = offsets[offsets.length - 1];
  if (last === undefined) return false;
  for (let j = 1; j < last.length; j++) if (last[j] !== last[0]! + j) return false;
  return true;
}

export function remap(data: TypedArray, offsets: readonly (readonly number[])[], out: TypedArray): void {
  if (out.length === 0) return;
  if (offsets.length === 0) {
    out[0] = data[0]!;
    return;
  }
  const r = offsets.length;
  const inner = offsets[r - 1]!;
  const rows = remapTable(offsets.slice(0, r - 1));
  const L = inner.length;
  if (innerContiguous(offsets)) {
    for (let i = 0; i < rows.length; i++) {
      const s = rows[i]! + inner[0]!;
      out.set(data.subarray(s, s + L), i * L);
    }
    return;
  }
  for (let i = 0; i < rows.length; i++) {
    const base = rows[i]!;
    for (let j = 0; j < L; j++) out[i * L + j] = data[base + inner[j]!]!;
  }
}

/** The output rows (product of the axes before `axis`) and each operand's contiguous block per row. */
export function concatBlocks(shapes: readonly Shape[], axis: number): { rows: number; blocks: number[] } {
  const rows = sizeOf(shapes[0]!.slice(0, axis));
  return { rows, blocks: shapes.map((s) => sizeOf(s.slice(axis))) };
}

export function concat(args: readonly TypedArray[], shapes: readonly Shape[], axis: number, out: TypedArray): void {
  const { rows, blocks } = concatBlocks(shapes, axis);
  const width = blocks.reduce((a, b) => a + b, 0);
  for (let r = 0; r < rows; r++) {
    let at = r * width;
    args.forEach((a, k) => {
      const b = blocks[k]!;
      if (b > 0) out.set(a.subarray(r * b, r * b + b), at);
      at += b;
    });
  }
}
