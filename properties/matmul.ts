// Batched and N-D contractions for the property suite (vm/linalg.ts): np.matmul with
// leading axes broadcast and 1-D operands promoted, np.dot of N-D operands. The first
// operand is x as an N-D array (reshaped to a batch when it has fewer than three
// axes); the second is a value of the pool whose core axis fits and whose batch axes
// broadcast, or else x's batched transpose (whose batch is x's own, or x's first batch
// entry only, which broadcasts). Every choice depends on shapes only.

import { sizeOf, type Shape } from "../ir/shape.js";
import type { NDArray } from "../vm/ndarray.js";
import { np } from "../vm/np.js";

const show = (v: unknown): string => JSON.stringify(v);

/** Leading axes of matmul operand shape s (none for 1-D). */
const batchOf = (s: Shape) => (s.length <= 2 ? [] : s.slice(0, -2));

function broadcasts(a: Shape, b: Shape): boolean {
  for (let i = 1; i <= Math.min(a.length, b.length); i++) {
    const x = a[a.length - i]!;
    const y = b[b.length - i]!;
    if (x !== y && x !== 1 && y !== 1) return false;
  }
  return true;
}

/** x as [B, M, K] (B and M divisors of its size, from p) when it has fewer than three axes. */
function batched(x: NDArray, p: number): NDArray {
  if (x.ndim >= 3) return x;
  const n = x.size;
  if (n === 0) return np.reshape(x, [1, 0, 1]);
  const divisorsOf = (m: number) => Array.from({ length: Math.min(m, 8) }, (_, i) => i + 1).filter((d) => m % d === 0);
  const bs = divisorsOf(n);
  const B = bs[(p >> 2) % bs.length]!;
  const ms = divisorsOf(n / B);
  const M = ms[(p >> 7) % ms.length]!;
  return np.reshape(x, [B, M, n / B / M]);
}

/** One batched np.matmul or N-D np.dot step on x and a pool value, with its np source. */
export function contractionStep(op: "matmul" | "dot", x: NDArray, pool: readonly NDArray[], start: number, p: number, nx: string, names: readonly string[]): [NDArray, string] | null {
  const a = batched(x, p);
  const K = a.shape[a.ndim - 1]!;
  const rows = sizeOf(a.shape) / (K || 1);
  for (let j = 0; j < pool.length; j++) {
    const i = (start + j) % pool.length;
    const c = pool[i]!;
    if (c.ndim === 0) continue;
    const kAxis = c.ndim === 1 ? 0 : c.ndim - 2;
    if (c.shape[kAxis] !== K) continue;
    if (op === "matmul" && !broadcasts(batchOf(a.shape), batchOf(c.shape))) continue;
    const cols = c.ndim === 1 ? 1 : sizeOf(c.shape) / (K || 1);
    if (rows * cols > 1024) continue;
    return [np[op](a, c), `np.${op}(${nx} as ${show(a.shape)}, ${names[i]!})`];
  }
  // The batched transpose [.., K, M]: with x's batch, or (bit 6) only its first batch entry.
  let b = np.swapaxes(a, -1, -2);
  if ((p >> 6) & 1 && a.shape[0]! > 1) b = np.split(b, [1], 0)[0]!;
  // (bit 8) twice as many columns as a has rows, so that M, K and N all differ more often.
  if ((p >> 8) & 1) b = np.concatenate([b, np.neg(b)], -1);
  if (op === "dot" && rows * (sizeOf(b.shape) / (K || 1)) > 1024) return [np.matmul(a, b), `np.matmul(${nx} as ${show(a.shape)}, swapaxes)`];
  return [np[op](a, b), `np.${op}(${nx} as ${show(a.shape)}, swapaxes${(p >> 6) & 1 ? "[:1]" : ""}${(p >> 8) & 1 ? " ++ negated" : ""})`];
}
