// The brain-dynamics workload: a leaky integrate-and-fire population as a Module,
// with an exponential synapse, noisy input currents drawn with np.random inside the
// step, a refractory period, and optionally recurrent input through a weight matrix.
//
//   V += dt * (-(V - V_rest) + R * (I + g)) / tau      (outside the refractory period)
//   spike where V >= V_th; then V = V_reset, t_last = t
//   g  = g * exp(-dt / tau_syn) + W · spike            (W only in the recurrent variant)

// From the API, not the Node entry (index.ts): the browser demo page imports this file too.
import { Module, NDArray, Variable, np } from "../api.js";

export interface LifOptions {
  n: number;
  /** Recurrent weights [n, n]; omit for independent neurons. */
  recurrent?: boolean;
  seed?: number;
}

export class LifPopulation extends Module {
  readonly n: number;
  readonly dt = 0.1;
  readonly tau = 10;
  readonly tauSyn = 5;
  readonly tRef = 2;
  readonly vRest = -65;
  readonly vReset = -68;
  readonly vTh = -50;
  readonly R = 1;
  /** Mean and spread of the external drive. */
  readonly mu = 20;
  readonly sigma = 8;
  readonly W: NDArray | undefined;

  readonly V: Variable;
  readonly tLast: Variable;
  readonly spikeCount: Variable;
  readonly g: Variable;
  readonly t: Variable;

  constructor(opts: LifOptions) {
    super();
    this.n = opts.n;
    np.random.seed(opts.seed ?? 0);
    this.V = new Variable(np.random.random([this.n]).mul(this.vTh - this.vReset).add(this.vReset));
    this.tLast = new Variable(np.full([this.n], -1e7));
    this.spikeCount = new Variable(np.zeros([this.n], "int32"));
    this.g = new Variable(np.zeros([this.n]));
    this.t = new Variable(np.zeros([]));
    // Sparse-ish excitatory/inhibitory weights: 80% excitatory, scaled so activity stays bounded.
    this.W = opts.recurrent
      ? np.where(np.random.random([this.n, this.n]).less(0.1), np.where(np.arange(this.n).less(this.n * 0.8), 0.6, -2.4), 0)
      : undefined;
  }

  /** One time step; returns which neurons spiked (bool[n]). */
  step(): NDArray {
    const t = this.t.value;
    const I = np.random.normal([this.n]).mul(this.sigma).add(this.mu);
    const refractory = t.sub(this.tLast).less(this.tRef);
    const V = this.V.value;
    const dV = V.sub(this.vRest).neg().add(I.add(this.g).mul(this.R)).mul(this.dt / this.tau);
    const vNew = np.where(refractory, V, V.add(dV));
    const spike = vNew.greaterEqual(this.vTh);
    this.V.value = np.where(spike, this.vReset, vNew);
    this.tLast.value = np.where(spike, t, this.tLast);
    this.spikeCount.value = this.spikeCount.add(spike.astype("int32"));
    const decay = this.g.mul(Math.exp(-this.dt / this.tauSyn));
    this.g.value = this.W ? decay.add(np.dot(this.W, spike.astype("float32"))) : decay;
    this.t.value = t.add(this.dt);
    return spike;
  }

  /** The whole simulation as one compiled loop (under jit); returns nothing. */
  run(steps: number): void {
    np.forLoop(0, steps, () => {
      this.step();
    });
  }

  /** The whole simulation, collecting the spike raster [steps, n] with np.scan. */
  raster(steps: number): NDArray {
    const [, spikes] = np.scan((c: undefined) => [c, this.step()], undefined, undefined, steps);
    return spikes;
  }
}

/** A text raster: one row per neuron (of the first `rows`), one column per `bin` steps. */
export function textRaster(spikes: NDArray, rows: number, bin: number): string {
  const [steps, n] = spikes.shape as [number, number];
  const data = spikes.toTypedArray();
  const lines: string[] = [];
  for (let r = 0; r < Math.min(rows, n); r++) {
    let line = "";
    for (let b = 0; b * bin < steps; b++) {
      let any = 0;
      for (let s = b * bin; s < Math.min(steps, (b + 1) * bin); s++) any += data[s * n + r]!;
      line += any === 0 ? " " : any === 1 ? "·" : "•";
    }
    lines.push(`${String(r).padStart(3)} |${line}|`);
  }
  return lines.join("\n");
}
