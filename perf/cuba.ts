// The CUBA network of the Brette et al. (2007) simulator benchmarks (Vogels & Abbott
// 2005): leaky integrate-and-fire neurons, 80% excitatory and 20% inhibitory, random
// connectivity built in JS as CSR, current-based exponential synapses, a refractory
// period. Parameters as in Brian's CUBA example:
//
//   dv/dt  = (ge + gi - (v - El)) / taum     (not integrated while refractory)
//   dge/dt = -ge / taue,  dgi/dt = -gi / taui
//   v > Vt: spike, v = Vr, refractory for tRef; each spike adds we (exc) or wi (inh)
//   to ge / gi of its targets.
//
// Euler for v, exact decay for ge and gi; the refractory period is an int32 countdown
// of steps, so the JS loop and tierjit count it alike. Three tierjit formulations of the
// synaptic input (CUBA.input): np.sparse.csr rmatvec of the spikes (event-driven), a
// dense weight matrix (np.dot), and take + segmentSum over the entry list; and the
// anchor, an event-driven plain-JS loop over the same CSR arrays (cubaJs).

import { Module, NDArray, Variable, np, type CsrMatrix } from "../index.js";

export const CUBA = {
  taum: 20,
  taue: 5,
  taui: 10,
  Vt: -50,
  Vr: -60,
  El: -49,
  we: (60 * 0.27) / 10,
  wi: (-20 * 4.5) / 10,
  tRef: 5,
  dt: 0.1,
} as const;

/** Steps of the refractory countdown. */
export const REF_STEPS = Math.round(CUBA.tRef / CUBA.dt);

export interface CubaConnectivity {
  readonly n: number;
  /** Excitatory neurons are 0 .. ne-1. */
  readonly ne: number;
  /** Row i lists neuron i's targets (sorted, no repeats). */
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  /** Initial membrane potentials, uniform in [Vr, Vt). */
  readonly v0: Float32Array;
}

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n neurons (80% excitatory), each pair connected with probability p (geometric skips: exact Bernoulli draws). */
export function cubaConnectivity(n = 4000, p = 0.02, seed = 1): CubaConnectivity {
  const r = rng(seed);
  const indptr = new Int32Array(n + 1);
  const targets: number[] = [];
  const logq = Math.log(1 - p);
  for (let i = 0; i < n; i++) {
    for (let j = Math.floor(Math.log(1 - r()) / logq); j < n; j += 1 + Math.floor(Math.log(1 - r()) / logq)) targets.push(j);
    indptr[i + 1] = targets.length;
  }
  const v0 = Float32Array.from({ length: n }, () => CUBA.Vr + r() * (CUBA.Vt - CUBA.Vr));
  return { n, ne: Math.round(n * 0.8), indptr, indices: Int32Array.from(targets), v0 };
}

/** The rows lo..hi-1 of the connectivity as its own CSR (rows re-based). */
function rowsOf(c: CubaConnectivity, lo: number, hi: number): { indptr: Int32Array; indices: Int32Array } {
  const base = c.indptr[lo]!;
  return { indptr: c.indptr.slice(lo, hi + 1).map((v) => v - base), indices: c.indices.slice(base, c.indptr[hi]!) };
}

export type CubaInput = "csr" | "dense" | "segment";

/** The network as a Module; `input` picks how the synaptic input is computed from the spikes. */
export class CubaNetwork extends Module {
  readonly n: number;
  readonly ne: number;
  readonly v: Variable;
  readonly ge: Variable;
  readonly gi: Variable;
  readonly ref: Variable;
  readonly spikeCount: Variable;
  private readonly exc: (s: NDArray) => NDArray;
  private readonly inh: (s: NDArray) => NDArray;

  constructor(c: CubaConnectivity, readonly input: CubaInput = "csr") {
    super();
    this.n = c.n;
    this.ne = c.ne;
    this.v = new Variable(np.array(c.v0));
    this.ge = new Variable(np.zeros([c.n]));
    this.gi = new Variable(np.zeros([c.n]));
    this.ref = new Variable(np.zeros([c.n], "int32"));
    this.spikeCount = new Variable(np.zeros([c.n], "int32"));
    const e = rowsOf(c, 0, c.ne);
    const i = rowsOf(c, c.ne, c.n);
    if (input === "csr") {
      const Ae: CsrMatrix = np.sparse.csr({ ...e, data: CUBA.we, shape: [c.ne, c.n] });
      const Ai: CsrMatrix = np.sparse.csr({ ...i, data: CUBA.wi, shape: [c.n - c.ne, c.n] });
      this.exc = (s) => Ae.rmatvec(s);
      this.inh = (s) => Ai.rmatvec(s);
    } else if (input === "dense") {
      // W[post, pre]: the product W·s with s the spikes as float (tier 2's event-driven dense matvec).
      const dense = (rows: { indptr: Int32Array; indices: Int32Array }, pre: number, w: number) => {
        const W = new Float32Array(c.n * pre);
        for (let j = 0; j < pre; j++) for (let k = rows.indptr[j]!; k < rows.indptr[j + 1]!; k++) W[rows.indices[k]! * pre + j] = w;
        return np.array(W).reshape([c.n, pre]);
      };
      const We = dense(e, c.ne, CUBA.we);
      const Wi = dense(i, c.n - c.ne, CUBA.wi);
      this.exc = (s) => np.dot(We, s.astype("float32"));
      this.inh = (s) => np.dot(Wi, s.astype("float32"));
    } else {
      // One entry per synapse: its presynaptic row and target; input = segmentSum(w * s[pre], post).
      const entries = (rows: { indptr: Int32Array; indices: Int32Array }) => {
        const pre = new Int32Array(rows.indices.length);
        for (let j = 0; j + 1 < rows.indptr.length; j++) pre.fill(j, rows.indptr[j]!, rows.indptr[j + 1]!);
        return { pre: np.array(pre), post: np.array(rows.indices) };
      };
      const E = entries(e);
      const I = entries(i);
      this.exc = (s) => np.segmentSum(np.take(s.astype("float32"), E.pre).mul(CUBA.we), E.post, c.n);
      this.inh = (s) => np.segmentSum(np.take(s.astype("float32"), I.pre).mul(CUBA.wi), I.post, c.n);
    }
  }

  /** One 0.1 ms step; returns the spikes (bool[n]). */
  step(): NDArray {
    const { dt, taum, El, Vt, Vr, taue, taui } = CUBA;
    const v = this.v.value;
    const free = this.ref.value.equal(0);
    const dv = this.ge.add(this.gi).sub(v.sub(El)).mul(dt / taum);
    const vNew = np.where(free, v.add(dv), v);
    const spike = vNew.greater(Vt);
    this.v.value = np.where(spike, Vr, vNew);
    this.ref.value = np.where(spike, REF_STEPS, np.maximum(this.ref.sub(1), 0));
    this.spikeCount.value = this.spikeCount.add(spike.astype("int32"));
    this.ge.value = this.ge.mul(Math.exp(-dt / taue)).add(this.exc(spike.slice([0, this.ne])));
    this.gi.value = this.gi.mul(Math.exp(-dt / taui)).add(this.inh(spike.slice([this.ne])));
    return spike;
  }

  /** `steps` steps as one loop (under jit: one compiled forLoop). */
  run(steps: number): void {
    np.forLoop(0, steps, () => {
      this.step();
    });
  }
}

/**
 * The anchor: the same network as an event-driven plain-JS loop over the CSR arrays.
 * Per step it updates every neuron and, for each neuron that fired, adds its weight
 * to its targets. Float64 state and arithmetic (the faster of Float64Array and
 * Float32Array state here, by ~10%), so single spikes differ from tierjit's float32
 * run; the mean rate is what compares. Returns the spike count per neuron.
 */
export function cubaJs(c: CubaConnectivity, steps: number): Int32Array {
  const { n, ne, indptr, indices } = c;
  const { dt, taum, El, Vt, Vr, taue, taui, we, wi } = CUBA;
  const v = Float64Array.from(c.v0);
  const ge = new Float64Array(n);
  const gi = new Float64Array(n);
  const ref = new Int32Array(n);
  const count = new Int32Array(n);
  const fired = new Int32Array(n);
  const de = Math.exp(-dt / taue);
  const di = Math.exp(-dt / taui);
  const k = dt / taum;
  for (let t = 0; t < steps; t++) {
    let nf = 0;
    for (let i = 0; i < n; i++) {
      let vi = v[i]!;
      const gei = ge[i]!;
      const gii = gi[i]!;
      if (ref[i] === 0) vi += (gei + gii - (vi - El)) * k;
      else ref[i]!--;
      if (vi > Vt) {
        vi = Vr;
        ref[i] = REF_STEPS;
        count[i]!++;
        fired[nf++] = i;
      }
      v[i] = vi;
      ge[i] = gei * de;
      gi[i] = gii * di;
    }
    for (let f = 0; f < nf; f++) {
      const j = fired[f]!;
      if (j < ne) for (let q = indptr[j]!; q < indptr[j + 1]!; q++) ge[indices[q]!]! += we;
      else for (let q = indptr[j]!; q < indptr[j + 1]!; q++) gi[indices[q]!]! += wi;
    }
  }
  return count;
}
