// Random calls of the assembly functions (vm/assembly.ts) for the property suite:
// each step picks its arguments (axes, widths, shifts, repeats, split points) from the
// step's random word `p` (10 bits: fc.nat(1023) in recipe.ts), so generated programs join, pad, tile, repeat, roll and cut
// the values computed so far, eagerly and in every tier.

import type { NDArray } from "../vm/ndarray.js";
import { np } from "../vm/np.js";

/** Argument text for failure listings (no import of fit.ts, which would close a cycle through the catalog). */
const show = (v: unknown): string => JSON.stringify(v, (_, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : Object.is(x, -0) ? "-0" : x));

export const ASSEMBLY_OPS = ["concatenate", "stack", "split", "pad", "tile", "repeat", "roll", "moveaxis", "swapaxes", "ravel"] as const;

/** One assembly step on x (and y, made to fit where the op needs equal shapes), with the np source it corresponds to. */
export function assemblyStep(op: string, x: NDArray, y: NDArray, nx: string, ny: string, p: number): [NDArray, string] {
  const r = x.ndim;
  const axis = r === 0 ? 0 : ((p >> 3) % r) - ((p >> 7) & 1) * r;
  // p has 10 random bits (recipe.ts); the choices read up to bit 17, so the bits above
  // the 10th come from a multiplicative hash of p (0 still gives 0, for shrinking).
  const word = (p & 1023) | (Math.imul(p, 0x9e3779b1) & ~1023);
  const bits = (k: number, n: number) => (word >>> k) & ((1 << n) - 1);
  // y with x's shape (and dtype promotion left to the op), when shapes differ.
  const same = y.size === x.size ? np.reshape(y, x.shape) : np.broadcastTo(np.sum(y), x.shape);
  const ns = same === y ? ny : `fit(${ny})`;
  // Growing ops on large values would compound over a program: those cut instead.
  if (x.size > 96 && ["concatenate", "stack", "pad", "tile", "repeat"].includes(op)) op = "split";
  switch (op) {
    case "concatenate": {
      if (r === 0) return [np.concatenate([np.ravel(x), np.ravel(same)]), `np.concatenate([np.ravel(${nx}), np.ravel(${ns})])`];
      const xs = bits(1, 1) ? [x, same, x] : [x, same];
      const cat = np.concatenate(xs, axis);
      const src = `np.concatenate([${xs.map((a) => (a === x ? nx : ns)).join(", ")}], ${axis})`;
      const ax = (axis + r) % r;
      const n = x.shape[ax]!;
      // Half the time a window inside the second operand (the views pass reads it there; ir/passes/views.ts).
      if (bits(0, 1) && n > 0) {
        const at: ([number, number, number] | null)[] = x.shape.map(() => null);
        at[ax] = [n + (bits(8, 2) % n), 2 * n, 1 + bits(2, 1)];
        return [cat.slice(...at), `${src}.slice(${show(at)})`];
      }
      return [cat, src];
    }
    case "stack": {
      const a = (p >> 3) % (r + 1);
      const st = np.stack([x, same], a);
      // Half the time one row of the stack back (read where it lives after the views pass).
      if (bits(0, 1)) {
        const k = bits(1, 1) ? -1 : 0;
        const at: (number | null)[] = [...Array.from({ length: a }, () => null), k];
        return [st.slice(...at), `np.stack([${nx}, ${ns}], ${a}).slice(${show(at)})`];
      }
      return [st, `np.stack([${nx}, ${ns}], ${a})`];
    }
    case "split": {
      if (r === 0) return [x, nx];
      const n = x.shape[(axis + r) % r]!;
      const idx = [bits(9, 3) - 2, bits(12, 3)];
      const piece = bits(15, 2) % 3;
      if (bits(1, 1) && n > 0) {
        const k = [1, 2, 3].filter((d) => n % d === 0).at(-1)!;
        return [np.split(x, k, axis)[piece % k]!, `np.split(${nx}, ${k}, ${axis})[${piece % k}]`];
      }
      return [np.split(x, idx, axis)[piece]!, `np.split(${nx}, ${show(idx)}, ${axis})[${piece}]`];
    }
    case "pad": {
      const mode = (["constant", "edge", "reflect"] as const)[bits(1, 2) % 3]!;
      const ok = mode === "constant" || x.shape.every((d) => d > 0);
      const widths = x.shape.map((_, d) => [bits(9 + 2 * d, 2), bits(10 + 3 * d, 2)]);
      const opts = mode === "constant" ? { constantValues: [-0, 2.5, NaN, 1e30][bits(3, 2)]! } : { mode };
      if (!ok) return [np.pad(x, 1), `np.pad(${nx}, 1)`];
      return [np.pad(x, widths, opts), `np.pad(${nx}, ${show(widths)}, ${show(opts)})`];
    }
    case "tile": {
      const reps = Array.from({ length: 1 + bits(1, 2) % 3 }, (_, i) => 1 + bits(3 + i, 1) + bits(6 + i, 1));
      return [np.tile(x, reps), `np.tile(${nx}, ${show(reps)})`];
    }
    case "repeat": {
      if (bits(1, 1) || r === 0) return [np.repeat(x, bits(2, 2)), `np.repeat(${nx}, ${bits(2, 2)})`];
      const a = (axis + r) % r;
      const counts = Array.from({ length: x.shape[a]! }, (_, i) => (p >> (i % 20)) & 3);
      return [np.repeat(x, counts, a), `np.repeat(${nx}, ${show(counts)}, ${a})`];
    }
    case "roll": {
      const shift = bits(9, 4) - 7;
      if (bits(1, 1) || r === 0) return [np.roll(x, shift), `np.roll(${nx}, ${shift})`];
      const axes = [axis, (axis + 1 + r) % r];
      return [np.roll(x, [shift, bits(13, 3)], axes), `np.roll(${nx}, ${show([shift, bits(13, 3)])}, ${show(axes)})`];
    }
    case "moveaxis": {
      if (r === 0) return [x, nx];
      const d = (p >> 9) % r;
      return [np.moveaxis(x, axis, d), `np.moveaxis(${nx}, ${axis}, ${d})`];
    }
    case "swapaxes": {
      if (r === 0) return [x, nx];
      const d = -1 - ((p >> 9) % r);
      return [np.swapaxes(x, axis, d), `np.swapaxes(${nx}, ${axis}, ${d})`];
    }
    default:
      return [np.ravel(x), `np.ravel(${nx})`];
  }
}
