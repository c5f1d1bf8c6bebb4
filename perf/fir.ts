// A causal FIR filter, y[n] = sum_k h[k] x[n - k] with x[m < 0] = 0 (31 taps): two
// tierjit formulations and the hand-written JS double loop they are measured against
// (`node dist/perf/bench.js fir`). Both tierjit forms add the taps in order k = 0..30,
// from the first product (float32, each operation rounded), so they agree bit for bit.

import { np, type NDArray } from "../index.js";

/** Low-pass taps (a Hann-windowed sinc), as float32 values. */
export function firTaps(taps = 31): Float32Array {
  const m = (taps - 1) / 2;
  return Float32Array.from({ length: taps }, (_, k) => {
    const t = k - m;
    const sinc = t === 0 ? 0.5 : Math.sin(0.5 * Math.PI * t) / (Math.PI * t);
    return sinc * (0.5 - 0.5 * Math.cos((2 * Math.PI * k) / (taps - 1)));
  });
}

/** Slices: the taps' shifted views of the zero-padded signal, scaled and summed (one fused loop). */
export function firSlices(x: NDArray, h: Float32Array): NDArray {
  const n = x.shape[0]!;
  const K = h.length;
  const xp = np.pad(x, [[K - 1, 0]]);
  let y = xp.slice([K - 1, K - 1 + n]).mul(h[0]!);
  for (let k = 1; k < K; k++) y = y.add(xp.slice([K - 1 - k, K - 1 - k + n]).mul(h[k]!));
  return y;
}

/** pad + stack: the windows as a [taps, n] matrix (row k is x delayed by k), summed row by row with the taps. */
export function firStack(x: NDArray, h: Float32Array): NDArray {
  const n = x.shape[0]!;
  const K = h.length;
  const xp = np.pad(x, [[K - 1, 0]]);
  const W = np.stack(Array.from({ length: K }, (_, k) => xp.slice([K - 1 - k, K - 1 - k + n])));
  let y = W.slice(0).mul(h[0]!);
  for (let k = 1; k < K; k++) y = y.add(W.slice(k).mul(h[k]!));
  return y;
}

/** The hand-written JS double loop (float64 accumulation over Float32Array data). */
export function firJs(x: Float32Array, h: Float32Array, y: Float32Array): void {
  const K = h.length;
  for (let n = 0; n < x.length; n++) {
    let acc = 0;
    const kmax = n < K - 1 ? n : K - 1;
    for (let k = 0; k <= kmax; k++) acc += h[k]! * x[n - k]!;
    y[n] = acc;
  }
}

/** pad + stack with the taps as a matrix product: np.dot(h, W) (the canonical 4-lane sum order). */
export function firStackDot(x: NDArray, h: Float32Array): NDArray {
  const n = x.shape[0]!;
  const K = h.length;
  const xp = np.pad(x, [[K - 1, 0]]);
  const W = np.stack(Array.from({ length: K }, (_, k) => xp.slice([K - 1 - k, K - 1 - k + n])));
  return np.dot(np.array(h), W);
}
