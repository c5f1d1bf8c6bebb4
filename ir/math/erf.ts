/**
 * erf, written once over a Kit (kit.ts) for both precisions, after fdlibm s_erf.c /
 * s_erff.c without branches (every piece computed, one selected):
 *   |x| < 2^-100 (2^-1000)   (8x + EFX8*x)/8 (no underflow in x*EFX)
 *   |x| < 0.84375            x + x*P(z)/Q(z), z = x^2
 *   |x| < 1.25               ERX + P1(s)/Q1(s), s = |x| - 1
 *   |x| < 6                  1 - e^(-z^2 - 0.5625 + ((z - a)(z + a) + R(1/a^2)/S(1/a^2)))/a,
 *                            z = a cut short (so z^2 is exact); the two coefficient sets
 *                            (below and above 1/0.35) are selected coefficient by
 *                            coefficient (the shorter padded with zeros, which adds
 *                            nothing); ONE exponential of the argument held as a
 *                            double-word sum (expParts' y + yLo) instead of fdlibm's
 *                            product of two
 *   otherwise                1; x's sign; erf(±0) = ±0, erf(±Inf) = ±1.
 */

import { both, expParts, horner, twoSum, type Kit } from "./kit.js";

const fr = Math.fround;

interface ErfConsts {
  readonly ERX: number;
  readonly EFX8: number;
  readonly PP: readonly number[];
  readonly QQ: readonly number[];
  readonly PA: readonly number[];
  readonly QA: readonly number[];
  /** R and S of both intervals, padded to one length. */
  readonly RA: readonly number[];
  readonly SA: readonly number[];
  readonly RB: readonly number[];
  readonly SB: readonly number[];
}

// fdlibm s_erff.c
const E32: ErfConsts = {
  ERX: fr(8.4506291151e-1),
  EFX8: fr(1.027033329),
  PP: [1.2837916613e-1, -3.2504209876e-1, -2.8481749818e-2, -5.770270247e-3, -2.3763017452e-5].map(fr),
  QQ: [1, 3.9791721106e-1, 6.50222525e-2, 5.0813062117e-3, 1.3249473704e-4, -3.9602282413e-6].map(fr),
  PA: [-2.3621185683e-3, 4.1485610604e-1, -3.7220788002e-1, 3.1834661961e-1, -1.1089469492e-1, 3.5478305072e-2, -2.1663755178e-3].map(fr),
  QA: [1, 1.0642088205e-1, 5.4039794207e-1, 7.1828655899e-2, 1.2617121637e-1, 1.3637083583e-2, 1.1984500103e-2].map(fr),
  RA: [-9.8649440333e-3, -6.938585639e-1, -1.0558626175e1, -6.2375331879e1, -1.6239666748e2, -1.8460508728e2, -8.1287437439e1, -9.8143291473].map(fr),
  SA: [1, 1.965127182e1, 1.3765776062e2, 4.3456588745e2, 6.4538726807e2, 4.2900814819e2, 1.0863500214e2, 6.5702495575, -6.0424413532e-2].map(fr),
  RB: [-9.864943102e-3, -7.9928326607e-1, -1.7757955551e1, -1.6063638306e2, -6.3756646729e2, -1.0250950928e3, -4.8351919556e2, 0].map(fr),
  SB: [1, 3.0338060379e1, 3.2579251099e2, 1.5367296143e3, 3.1998581543e3, 2.553050293e3, 4.7452853394e2, -2.2440952301e1, 0].map(fr),
};

// fdlibm s_erf.c
const E64: ErfConsts = {
  ERX: 8.45062911510467529297e-1,
  EFX8: 1.02703333676410069053e0,
  PP: [1.28379167095512558561e-1, -3.25042107247001499370e-1, -2.84817495755985104766e-2, -5.77027029648944159157e-3, -2.37630166566501626084e-5],
  QQ: [1, 3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3, 1.32494738004321644526e-4, -3.96022827877536812320e-6],
  PA: [-2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1, 3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2, -2.16637559486879084300e-3],
  QA: [1, 1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2, 1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.19844998467991074170e-2],
  RA: [-9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1, -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2, -8.12874355063065934246e1, -9.81432934416914548592e0],
  SA: [1, 1.96512716674392571292e1, 1.37657754143519042600e2, 4.34565877475229228821e2, 6.45387271733267880336e2, 4.29008140027567833386e2, 1.08635005541779435134e2, 6.57024977031928170135e0, -6.04244152148580987438e-2],
  RB: [-9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1, -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3, -4.83519191608651397019e2, 0],
  SB: [1, 3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3, 2.55305040643316442583e3, 4.74528541206955367215e2, -2.24409524465858183362e1, 0],
};

function erf<V, M, I>(K: Kit<V, M, I>, x: V): V {
  const { A } = K;
  const C = K.prec === 32 ? E32 : E64;
  const a = A.abs(x);
  const z2 = A.mul(x, x);
  const tiny = A.mul(0.125, A.add(A.mul(8, x), A.mul(C.EFX8, x)));
  const small = A.add(x, A.mul(x, A.div(horner(A, z2, C.PP), horner(A, z2, C.QQ))));
  const s = A.sub(a, 1);
  const mid = A.add(C.ERX, A.div(horner(A, s, C.PA), horner(A, s, C.QA)));
  const u = A.div(1, A.mul(a, a));
  const lowSet = A.cmp("lt", a, K.prec === 32 ? fr(1 / 0.35) : 1 / 0.35);
  const coef = (lo: readonly number[], hi: readonly number[]) => lo.map((c, i) => A.sel(lowSet, c, hi[i]!));
  const hornerV = (v: V, c: readonly V[]): V => c.slice(0, -1).reduceRight<V>((p, ci) => A.add(ci, A.mul(v, p)), c[c.length - 1]!);
  const R = hornerV(u, coef(C.RA, C.RB));
  const S = hornerV(u, coef(C.SA, C.SB));
  const z = K.trunc(a);
  const e = twoSum(A, A.sub(A.neg(A.mul(z, z)), 0.5625), A.add(A.mul(A.sub(z, a), A.add(z, a)), A.div(R, S)));
  const { er, erLo, s1, s2 } = expParts(K, A.min(A.max(e.s, K.c.EXP_LO), 0), e.e); // the clamp only acts where another piece is selected
  const r = A.mul(A.mul(A.add(er, erLo), s1), s2);
  const big = A.sub(1, A.div(r, a));
  const mag = A.sel(A.cmp("lt", a, 1.25), mid, A.sel(A.cmp("lt", a, 6), big, 1));
  const res = A.sel(A.cmp("lt", a, 0.84375), A.sel(A.cmp("lt", a, K.prec === 32 ? 2 ** -100 : 2 ** -1000), tiny, small), A.copysign(mag, x));
  return A.sel(A.cmp("ne", x, x), x, res);
}

export const ERF = both("erf", 1, (K, x) => erf(K, x));
