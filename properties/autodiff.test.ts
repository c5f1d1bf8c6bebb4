// Autodiff properties on random differentiable programs (properties/autodiff.ts):
// in float64, reverse mode against forward mode (<J v, u> = <v, Jᵀ u>) and both
// against central finite differences; in float32, jit(grad(f)) pinned to each tier
// gives eager grad(f)'s bits.
//
// Directions v and u are unit vectors. Tolerances: forward and reverse mode compute the same sums in different orders, so
// they agree to 1e-9 relative to the magnitude of the terms (Σ|v_i (Jᵀu)_i|). Central
// differences with h = 1e-5 carry O(h²) truncation and O(ε/h) rounding error: they must
// agree to 1e-5 relative (plus 1e-9 |u|·|f(x)| for rounding in f itself); a case where two step sizes (h and h/2) disagree by more
// than that, or the one-sided differences by more than 1e-4, is at a kink or jump
// (abs, maximum, floor, mod, sort's ties) and only the forward/reverse check applies.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { grad, jit, jvp, np, vjp, type NDArray, type TierName } from "../index.js";
import { adProgram, arbAdPoint, arbAdRecipe } from "./autodiff.js";
import { assertProperty, budget } from "./runner.js";

const arr = (xs: number[], shape: number[], dtype: "float32" | "float64") => np.array(xs, { dtype }).reshape(shape);
const dot = (a: NDArray, b: NDArray) => a.mul(b).sum().item();
const absDot = (a: NDArray, b: NDArray) => a.mul(b).abs().sum().item();
const finite = (...xs: NDArray[]) => xs.every((x) => Array.from(x.toTypedArray()).every(Number.isFinite));

describe("autodiff on random programs", () => {
  it("float64: reverse = forward mode, and both match central differences", { timeout: 300_000 }, () => {
    const seen = { checked: 0, fd: 0 };
    assertProperty("reverse vs forward vs finite differences", fc.tuple(arbAdRecipe, arbAdPoint), ([steps, p]) => {
      const f = adProgram(steps);
      // Distinct inputs: at exact ties (max, min, sort) the derivative is a convention that differences do not see.
      const x = arr(p.x.map((v, i) => v + (i + 1) / 64), [2, 3], "float64");
      const r = arr(p.r.map((v, i) => v - (i + 1) / 48), [3], "float64");
      // Unit directions, so that a kink shows in the one-sided differences at any magnitude.
      const nv = Math.hypot(...p.vx, ...p.vr);
      const nu = Math.hypot(...p.u);
      const vx = arr(p.vx.map((v) => v / nv), [2, 3], "float64");
      const vr = arr(p.vr.map((v) => v / nv), [3], "float64");
      const u = arr(p.u.map((v) => v / nu), [2, 3], "float64");
      const [out, back] = vjp(f, x, r);
      if (!finite(out)) return;
      const [gx, gr] = back(u) as NDArray[];
      const [out2, t] = jvp(f, [x, r], [vx, vr]);
      expect(Array.from(out2.toTypedArray())).toEqual(Array.from(out.toTypedArray()));
      if (!finite(gx!, gr!, t)) return;
      seen.checked++;
      const fwd = dot(t, u);
      const rev = dot(vx, gx!) + dot(vr, gr!);
      const scale = 1 + absDot(vx, gx!) + absDot(vr, gr!) + absDot(t, u);
      expect(Math.abs(fwd - rev), `<Jv,u> = ${fwd}, <v,Jᵀu> = ${rev}`).toBeLessThanOrEqual(1e-9 * scale);
      // stopGradient is a constant of the derivative by design: finite differences see through it.
      if (JSON.stringify(steps).includes('"stopGradient"')) return;
      const phi = (h: number) => dot(f(x.add(vx.mul(h)), r.add(vr.mul(h))), u);
      const fd = (h: number) => (phi(h) - phi(-h)) / (2 * h);
      const [a, b] = [fd(1e-5), fd(5e-6)];
      const oneSided = [(phi(1e-5) - phi(0)) / 1e-5, (phi(0) - phi(-1e-5)) / 1e-5];
      // A kink or jump within h: the step sizes, or the one-sided differences, disagree.
      if (!Number.isFinite(a) || Math.abs(a - b) > 1e-5 * scale || Math.abs(oneSided[0]! - oneSided[1]!) > 1e-4 * scale) return;
      seen.fd++;
      // Rounding in phi itself: about ε |u|·|f(x)| / h.
      const rounding = 1e-9 * absDot(out, u);
      expect(Math.abs(fwd - a), `jvp ${fwd}, central difference ${a}`).toBeLessThanOrEqual(1e-5 * scale + rounding);
    }, budget(300));
    expect(seen.fd).toBeGreaterThan(200);
  });

  it("float32: jit(grad(f)) in every tier gives eager grad(f)'s bits", { timeout: 300_000 }, () => {
    const tiers: TierName[] = ["interpreter", "js", "wasm"];
    const bitsOf = (xs: NDArray[]) => xs.map((a) => Array.from(a.toTypedArray()).map((v) => (Object.is(v, -0) ? "-0" : String(v))));
    assertProperty("jit(grad) bits in every tier", fc.tuple(arbAdRecipe, arbAdPoint), ([steps, p]) => {
      const f = adProgram(steps);
      const u = arr(p.u, [2, 3], "float32");
      const g = grad((x: NDArray, r: NDArray) => f(x, r).mul(u).sum(), { argnums: [0, 1] });
      const x = arr(p.x, [2, 3], "float32");
      const r = arr(p.r, [3], "float32");
      const want = bitsOf(g(x, r));
      for (const tier of tiers) {
        const j = jit(g, { tier });
        expect(bitsOf(j(x, r)), tier).toEqual(want);
        expect(j.inspect().signatures[0]!.tier).toBe(tier);
      }
    }, budget(40));
  });
});
