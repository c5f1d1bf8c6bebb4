// `exact: false` (tier 1: float32 kernels computed in float64, rounded where values
// are stored or cast, transcendentals by their float32 algorithm; tier 2: exact mode's
// float32 algorithms, which already run at full f32x4 width) stays within a PROVEN
// distance of exact mode, in each tier.
//
// No fixed ulp bound between the two modes holds for arbitrary programs: exact mode
// rounds every intermediate to float32, and a chain can magnify those roundings without
// limit (catastrophic cancellation, exp of a large argument), which is why
// tiers/js/relaxed.test.ts could only assert 16 ulp on gelu over one input range. So
// the property computes a bound per element by forward error analysis, and requires
// the difference to stay within it:
//
//   Both modes are compared with a shadow evaluation z of the same chain in float64
//   (the op table's float64 semantics). For each op, an error bound on an input
//   (|x_mode - x_z| <= e) carries to its result by a RIGOROUS rule over the whole
//   interval [x - e, x + e] (Lipschitz constants, exact identities for mul/div/log/
//   exp/sqrt/pow; RULES below), and each op adds its own local error:
//   - exact mode: the op's float32 accuracy bound (accuracy.ts, enforced by
//     accuracy.test.ts: 0.5 ulp for correctly rounded ops, 2 ulp for transcendentals);
//   - relaxed mode: 0.5 ulp of float32 (a store between kernels may round), plus
//     float64 algorithm error;
//   - both: 8 float64 ulps for the shadow's own float64 algorithm error.
//   Then |exact - relaxed| <= eExact + eRelaxed.
//
// Elements where no rigorous bound exists are skipped (counted, so the test shows the
// property is not vacuous): non-finite inputs or intermediates, values past float32's
// range (where exact mode overflows and relaxed need not: a range difference, not a
// precision one), division or log near a pole, pow with a base near or below 0, sin/cos
// beyond the accurate range of the float32 algorithm. (Relaxed mode first computed
// float32 sin/cos with the float64 algorithm, whose accurate range ends at 2^19*pi/2,
// far below float32's 2^28*pi/2, and was off by up to ~4e5 float32 ulps at |x| ~ 1.5e8:
// this property found it. Relaxed sin/cos now run the float32 algorithm, which already
// computes in float64 and rounds once, so they carry its own ulp bound.) Discontinuous ops (floor, ceil, sign, comparisons,
// where, casts) are not generated: an ulp can flip their result.
//
// Second claim, exact: a program of ONE correctly rounded op (+ - * / sqrt) or exact op
// (neg abs maximum minimum) gives exact mode's bits in relaxed mode, because rounding a
// float64 result of float32 operands to float32 is correctly rounded (53 >= 2*24 + 2).

import fc from "fast-check";
import { ELEMENTWISE } from "../ir/ops.js";
import type { NDArray } from "../vm/ndarray.js";
import { np } from "../vm/np.js";
import { jit } from "../vm/jit.js";
import { availableTiers } from "../vm/tiers.js";
import { RELAXED_KEEPS_F32 } from "../tiers/js/codegen.js";
import { accuracySpecs } from "./accuracy.js";
import { npFunction } from "./catalog.js";
import { arbValue, sameValue, ulp32, ulp64 } from "./values.js";

const F32_MAX = 3.4028234663852886e38;

/** Bound on |f(x', y') - f(x, y)| for |x' - x| <= ex, |y' - y| <= ey (z = f(x, y)); null if none is known. */
type Rule = (x: number, y: number, ex: number, ey: number, z: number) => number | null;

/** max |f'| over [x - e, x + e] for f' even, decreasing in |x| (tanh, sigmoid): at the point nearest 0. */
const nearestZero = (x: number, e: number) => Math.max(0, Math.abs(x) - e);

export const RULES: Readonly<Record<string, Rule>> = {
  neg: (_x, _y, ex) => ex,
  stopGradient: (_x, _y, ex) => ex,
  abs: (_x, _y, ex) => ex,
  add: (_x, _y, ex, ey) => ex + ey,
  sub: (_x, _y, ex, ey) => ex + ey,
  maximum: (_x, _y, ex, ey) => Math.max(ex, ey),
  minimum: (_x, _y, ex, ey) => Math.max(ex, ey),
  mul: (x, y, ex, ey) => Math.abs(x) * ey + Math.abs(y) * ex + ex * ey,
  // x'/y' - x/y = (dx*y - x*dy) / (y*y')
  div: (_x, y, ex, ey, z) => (ey < Math.abs(y) ? (ex + Math.abs(z) * ey) / (Math.abs(y) - ey) : null),
  reciprocal: (x, _y, ex, _ey, z) => (ex < Math.abs(x) ? (Math.abs(z) * ex) / (Math.abs(x) - ex) : null),
  sqrt: (x, _y, ex) => (x - ex < 0 ? (ex === 0 && x === 0 ? 0 : null) : Math.min(Math.sqrt(ex), x > 0 ? ex / Math.sqrt(x) : Infinity)),
  exp: (_x, _y, ex, _ey, z) => (ex <= 1 ? z * Math.expm1(ex) : null),
  log: (x, _y, ex) => (x > ex ? -Math.log1p(-ex / x) : null),
  // Derivatives written without 1 - tanh^2 or s(1 - s), which cancel to 0 where tanh or s rounds to 1.
  tanh: (x, _y, ex) => ex / Math.cosh(nearestZero(x, ex)) ** 2,
  sigmoid: (x, _y, ex) => {
    const d = Math.exp(-nearestZero(x, ex));
    return (ex * d) / (1 + d) ** 2;
  },
  sin: (_x, _y, ex) => Math.min(ex, 2),
  cos: (_x, _y, ex) => Math.min(ex, 2),
  log1p: (x, _y, ex) => (1 + x > ex ? -Math.log1p(-ex / (1 + x)) : null),
  expm1: (_x, _y, ex, _ey, z) => (ex <= 1 ? (z + 1) * Math.expm1(ex) : null),
  log2: (x, _y, ex) => (x > ex ? -Math.log1p(-ex / x) / Math.LN2 : null),
  log10: (x, _y, ex) => (x > ex ? -Math.log1p(-ex / x) / Math.LN10 : null),
  exp2: (_x, _y, ex, _ey, z) => (ex <= 1 ? z * Math.expm1(ex * Math.LN2) : null),
  sinh: (x, _y, ex) => (ex <= 1 ? ex * Math.cosh(Math.abs(x) + ex) : null),
  cosh: (x, _y, ex) => (ex <= 1 ? ex * Math.sinh(Math.abs(x) + ex) : null),
  asinh: (_x, _y, ex) => ex,
  atan: (_x, _y, ex) => ex,
  erf: (_x, _y, ex) => ex * 1.1283791670955126,
  acosh: (x, _y, ex) => (x - ex > 1 ? ex / Math.sqrt((x - ex) ** 2 - 1) : null),
  atanh: (x, _y, ex) => (Math.abs(x) + ex < 1 ? ex / (1 - (Math.abs(x) + ex) ** 2) : null),
  asin: (x, _y, ex) => (Math.abs(x) + ex < 1 ? ex / Math.sqrt(1 - (Math.abs(x) + ex) ** 2) : null),
  acos: (x, _y, ex) => (Math.abs(x) + ex < 1 ? ex / Math.sqrt(1 - (Math.abs(x) + ex) ** 2) : null),
  cbrt: (x, _y, ex) => (Math.abs(x) > ex ? ex / (3 * Math.cbrt((Math.abs(x) - ex) ** 2)) : null),
  tan: (x, _y, ex) => (Math.abs(x) + ex < 1.5 ? ex / Math.cos(Math.abs(x) + ex) ** 2 : null),
  hypot: (_x, _y, ex, ey) => ex + ey,
  // |grad atan2(y, x)| = 1/r on the whole disc of radius ex + ey around (x, y) if it misses 0
  atan2: (x, y, ex, ey) => {
    const d = Math.hypot(x, y) - (ex + ey);
    return d > 0 ? (ex + ey) / d : null;
  },
  // x^y = exp(y ln x): bound |ln x' - ln x|, then the exponent, then exp.
  pow: (x, y, ex, ey, z) => {
    if (!(x > ex)) return null;
    const dl = -Math.log1p(-ex / x);
    const dt = Math.abs(y) * dl + Math.abs(Math.log(x)) * ey + dl * ey;
    return dt <= 1 ? Math.abs(z) * Math.expm1(dt) : null;
  },
};

/** Discontinuous float ops, never generated (see the header). */
const DISCONTINUOUS = new Set(["sign", "floor", "ceil", "round", "trunc", "mod", "fmod", "floorDivide", "copysign"]);

/** The float ops of the table the property draws from: every continuous float-valued one. */
export function relaxedOps(): { op: string; arity: 1 | 2; ulps32: number; accurate: number }[] {
  return accuracySpecs()
    .filter(({ op }) => !DISCONTINUOUS.has(op))
    .map(({ op, arity, spec }) => ({ op, arity, ulps32: spec.ulps32 === 0 ? 0.5 : spec.ulps32, accurate: spec.accurate ? spec.accurate.f32 : Infinity }));
}

export interface Chain {
  /** Each step applies `op` to values a and b of the pool [x0, x1, step results...] (indices mod its length). */
  readonly steps: readonly { readonly op: number; readonly a: number; readonly b: number }[];
  readonly n: number;
  readonly x0: readonly number[];
  readonly x1: readonly number[];
  /** Index of an intermediate also returned (its store may split the kernel). */
  readonly extra: number;
}

const arbElem = fc.oneof({ weight: 3, arbitrary: fc.float({ min: -8, max: 8, noNaN: true }) }, { weight: 1, arbitrary: arbValue });

export const arbChain: fc.Arbitrary<Chain> = fc.integer({ min: 1, max: 33 }).chain((n) =>
  fc.record({
    steps: fc.array(fc.record({ op: fc.nat(63), a: fc.nat(7), b: fc.nat(7) }), { minLength: 1, maxLength: 5 }),
    n: fc.constant(n),
    x0: fc.array(arbElem, { minLength: n, maxLength: n }),
    x1: fc.array(arbElem, { minLength: n, maxLength: n }),
    extra: fc.nat(7),
  }),
);

function chainFunction(c: Chain) {
  const ops = relaxedOps();
  return (x0: NDArray, x1: NDArray): NDArray[] => {
    const pool = [x0, x1];
    for (const s of c.steps) {
      const { op, arity } = ops[s.op % ops.length]!;
      const a = pool[s.a % pool.length]!;
      pool.push(arity === 1 ? npFunction(op)(a) : npFunction(op)(a, pool[s.b % pool.length]!));
    }
    return [pool.at(-1)!, pool[2 + (c.extra % c.steps.length)]!];
  };
}

export function chainSource(c: Chain): string {
  const ops = relaxedOps();
  const names = ["x0", "x1"];
  const lines = c.steps.map((s) => {
    const { op, arity } = ops[s.op % ops.length]!;
    const a = names[s.a % names.length]!;
    const line = `t${names.length} = np.${op}(${a}${arity === 2 ? `, ${names[s.b % names.length]}` : ""})`;
    names.push(`t${names.length}`);
    return line;
  });
  return [...lines, `return [${names.at(-1)}, ${names[2 + (c.extra % c.steps.length)]}]`].join("; ");
}

interface Shadow {
  z: number;
  /** Bounds on |exact - z|, |relaxed - z| (tier 1) and |fast - z| (tier 2), or null where none is known. */
  eE: number | null;
  eR: number | null;
  eW: number | null;
}

/** The shadow value of every pool entry for element j, with both modes' error bounds. */
function shadowElement(c: Chain, j: number): Shadow[] {
  const ops = relaxedOps();
  const pool: Shadow[] = [c.x0[j]!, c.x1[j]!].map((x) => {
    const v = Math.fround(x);
    return Number.isFinite(v) ? { z: v, eE: 0, eR: 0, eW: 0 } : { z: v, eE: null, eR: null, eW: null };
  });
  for (const s of c.steps) {
    const { op, arity, ulps32, accurate } = ops[s.op % ops.length]!;
    const a = pool[s.a % pool.length]!;
    const b = arity === 2 ? pool[s.b % pool.length]! : { z: 0, eE: 0, eR: 0, eW: 0 };
    const z = ELEMENTWISE[op as keyof typeof ELEMENTWISE].scalar.float64!(a.z, b.z, 0);
    const keepsF32 = RELAXED_KEEPS_F32.has(op);
    const widen = (s: Shadow) => (s.eR === null ? null : s.eR + ulp32(Math.abs(s.z) + s.eR));
    const carry = (ea: number | null, eb: number | null, local: (mag: number) => number): number | null => {
      if (ea === null || eb === null || !Number.isFinite(z)) return null;
      if (Math.abs(a.z) + ea >= accurate) return null;
      const prop = RULES[op]!(a.z, b.z, ea, eb, z);
      if (prop === null || !Number.isFinite(prop)) return null;
      const mag = (Math.abs(z) + prop) * (1 + 2 ** -20);
      const e = prop + local(mag);
      return mag + e > F32_MAX ? null : e;
    };
    pool.push({
      z,
      eE: carry(a.eE, b.eE, (m) => ulps32 * ulp32(m) + 8 * ulp64(m)),
      // Relaxed transcendentals run the float32 algorithm (tiers/js/codegen.ts) on a float64
      // operand, which its first operations round: its own bound applies, on an operand
      // widened by one float32 ulp.
      eR: keepsF32 ? carry(widen(a), widen(b), (m) => ulps32 * ulp32(m) + 16 * ulp64(m)) : carry(a.eR, b.eR, (m) => 0.5 * ulp32(m) + 16 * ulp64(m)),
      // Tier 2 runs exact mode's float32 algorithms in exact: false too.
      eW: carry(a.eW, b.eW, (m) => ulps32 * ulp32(m) + 8 * ulp64(m)),
    });
  }
  return pool;
}

export interface RelaxedTally {
  checked: number;
  skipped: number;
  /** Largest |exact - relaxed| seen, in float32 ulps, and largest fraction of its bound used. */
  maxUlps: number;
  maxUsed: number;
}

const EXACT_ALONE = new Set(["add", "sub", "mul", "div", "sqrt", "neg", "abs", "maximum", "minimum"]);

/** The property: throws unless relaxed mode is within the proven bound of exact mode on every element (and equal where it must be), in tier 1 and, where it runs, tier 2. */
export function checkRelaxed(c: Chain, tally: RelaxedTally): void {
  const fn = chainFunction(c);
  const x0 = np.array(Float32Array.from(c.x0));
  const x1 = np.array(Float32Array.from(c.x1));
  const exact = jit(fn, { tier: "interpreter" })(x0, x1).map((a) => a.toTypedArray());
  const modes = (["js", "wasm"] as const).filter((t) => availableTiers().includes(t));
  const relaxed = modes.map((tier) => ({ tier, out: jit(fn, { tier, exact: false })(x0, x1).map((a) => a.toTypedArray()) }));
  const ops = relaxedOps();
  const alone = c.steps.length === 1 && EXACT_ALONE.has(ops[c.steps[0]!.op % ops.length]!.op);
  const outIdx = [2 + c.steps.length - 1, 2 + (c.extra % c.steps.length)];
  for (let j = 0; j < c.n; j++) {
    const shadow = shadowElement(c, j);
    outIdx.forEach((p, o) => {
      const e = exact[o]![j]!;
      const where = `element ${j} of output ${o} of (${chainSource(c)}) with x0 = ${c.x0[j]}, x1 = ${c.x1[j]}`;
      for (const { tier, out } of relaxed) {
        const r = out[o]![j]!;
        if (alone && !sameValue(e, r)) throw new Error(`exact: false changed a single correctly rounded op in ${tier}: ${where}: exact ${e}, relaxed ${r}`);
        const { z, eE } = shadow[p]!;
        const eR = tier === "js" ? shadow[p]!.eR : shadow[p]!.eW;
        if (eE === null || eR === null) {
          tally.skipped++;
          continue;
        }
        tally.checked++;
        const bound = (eE + eR) * (1 + 1e-9);
        const diff = Math.abs(e - r);
        if (!(diff <= bound)) {
          throw new Error(`exact: false in ${tier} is further from exact mode than the error analysis allows: ${where}: exact ${e}, relaxed ${r}, float64 shadow ${z}; |difference| ${diff} > bound ${bound} (exact-mode error <= ${eE}, relaxed <= ${eR}; ${(bound / ulp32(z)).toFixed(1)} float32 ulps)`);
        }
        tally.maxUlps = Math.max(tally.maxUlps, diff / ulp32(z));
        if (bound > 0) tally.maxUsed = Math.max(tally.maxUsed, diff / bound);
      }
    });
  }
}
