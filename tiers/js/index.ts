// Tier 1: fused JavaScript. The program is fused into kernels (ir/fusion.ts, with
// tier 1's own policy on top: split.ts), each
// generated kernel is compiled once with `new Function` (tiers/js/codegen.ts), bound
// to its constants and scratch buffers (closure-captured: faster than parameters),
// and run on the caller's arrays. Results equal tier 0's bit for bit.
//
// Specialisation: a kernel's shapes are baked in as literals, unless kernels of the
// same shape-erased source have been compiled for GENERIC_AFTER different shapes
// (a function called with many lengths): then one size-generic factory, keyed by
// that source, serves every shape of the family. Factories are cached by their full
// source, so a kernel is compiled once per process, however many signatures use it.
//
// Structured control flow (loop, while, cond) runs as a JS loop over tier-1
// executables of its sub-programs (tiers/js/control.ts); with an OSR hook, a long
// loop continues in the next tier mid-call.
//
// If `new Function` is refused (a content-security policy), `compile` throws
// TierUnavailableError and the runtime stays in tier 0 with an inspect() event.

import { allocate, type TypedArray } from "../../ir/dtype.js";
import { InternalError, TierUnavailableError } from "../../ir/errors.js";
import { fuse, printFused } from "../../ir/fusion.js";
import { runInstr } from "../../ir/kernels/index.js";
import type { Kernel } from "../../ir/kernel.js";
import { isControlInstr, type Program } from "../../ir/program.js";
import { sizeOf } from "../../ir/shape.js";
import type { CompileHooks, Executable, ProfileView, Tier } from "../tier.js";
import { generateKernel, type KernelCode, type Placement } from "./codegen.js";
import { runControl, type OsrState } from "../control.js";
import { indexingKernel, isCompiledIndexing } from "./indexing.js";
import { splitLongLatency } from "./split.js";
import { planBuffers, type Slot } from "./plan.js";
import { MATH_VALUES } from "./templates.js";

/** Distinct shapes a kernel family must be compiled for before it gets a size-generic kernel. */
export const GENERIC_AFTER = 2;

type Factory = (...args: unknown[]) => (...bufs: TypedArray[]) => void;
/**
 * Process-wide and bounded (a server or a property run compiles an unbounded stream of
 * programs): at most MAX_CACHED factories and families each, least recently used out
 * first. A factory is a few KB of source and V8 code; 4,096 cover every kernel of the
 * programs one process is likely to run hot.
 */
export const MAX_CACHED = 4096;
const factories = new Map<string, Factory>();
const families = new Map<string, Set<string>>();

/** Map get that marks the entry recently used. */
function touch<V>(m: Map<string, V>, k: string): V | undefined {
  const v = m.get(k);
  if (v !== undefined) {
    m.delete(k);
    m.set(k, v);
  }
  return v;
}

function insert<V>(m: Map<string, V>, k: string, v: V): V {
  m.set(k, v);
  if (m.size > MAX_CACHED) m.delete(m.keys().next().value as string);
  return v;
}

/** How many factories and families the process-wide caches hold (perf/soak.ts). */
export function kernelCacheSize(): { factories: number; families: number } {
  return { factories: factories.size, families: families.size };
}

/** Forgets compiled factories and family counts (tests that need a fresh process state). */
export function resetKernelCache(): void {
  factories.clear();
  families.clear();
}

function compileFactory(code: KernelCode): { factory: Factory; ms: number; cached: boolean } {
  const hit = touch(factories, code.key);
  if (hit) return { factory: hit, ms: 0, cached: true };
  const t0 = performance.now();
  let factory: Factory;
  try {
    const Fn = globalThis.Function;
    factory = new Fn(...code.params, code.body) as Factory;
  } catch (e) {
    throw new TierUnavailableError(`tier js: new Function is refused in this environment (a content-security policy?): ${(e as Error).message}`);
  }
  insert(factories, code.key, factory);
  return { factory, ms: performance.now() - t0, cached: false };
}

interface Step {
  /** Slots of the per-call buffers, in run-parameter order. */
  readonly callSlots: readonly Slot[];
  readonly run: (...bufs: TypedArray[]) => void;
}

export interface KernelInfo {
  readonly kind: Kernel["kind"];
  /** Generated code (fused kernels, gather and scatter), not a call of the reference kernel or a control loop. */
  readonly generated: boolean;
  readonly generic: boolean;
  readonly compileMs: number;
  readonly cached: boolean;
  readonly source: string;
}

/** Tier 1's fusion policy (split.ts). The defaults are the measured choice; the switches serve perf/tier1.ts's side-by-side benchmark. */
export interface JsPolicy {
  /** Matmul prologues may broadcast reads (ir/fusion.ts `matmulPrologueBroadcast`). */
  readonly matmulPrologueBroadcast: boolean;
  /** Long-latency matmul prologues and epilogues run as their own loops (split.ts). */
  readonly splitLongLatency: boolean;
  /**
   * Every kernel size-generic from its first shape (vm/eager.ts: one factory per op,
   * dtype and broadcast pattern serves every size, with no compile per new length).
   */
  readonly sizeGeneric?: boolean;
}
export const JS_POLICY: JsPolicy = { matmulPrologueBroadcast: true, splitLongLatency: true };

/** Counts the shapes a kernel family was compiled for: true once it has seen GENERIC_AFTER. */
function genericFamily(p: Program, kernel: Kernel, key: string): boolean {
  const shapes = [...kernel.reads, ...kernel.writes].map((v) => p.values[v]!.shape.join("x")).join(",");
  const fam = touch(families, key) ?? insert(families, key, new Set());
  if (fam.size < GENERIC_AFTER) fam.add(shapes); // past GENERIC_AFTER the family is generic for good: no need to list more shapes
  return fam.size >= GENERIC_AFTER;
}

function bindKernel(p: Program, kernel: Kernel, slotOf: ReadonlyMap<number, Slot>, profile: ProfileView | undefined, hooks: CompileHooks, policy: JsPolicy): { step: Step; info: KernelInfo } {
  const relaxed = profile?.exact === false;
  const slots = [...kernel.reads, ...kernel.writes].map((v) => {
    const s = slotOf.get(v);
    if (!s) throw new InternalError(`tier js: no buffer for %${v}`);
    return s;
  });
  if (kernel.kind === "single" && isControlInstr(kernel.main)) {
    const ins = kernel.main;
    const subs = ins.subs.map((sub) => compileJs(sub, profile, hooks, policy));
    const nR = kernel.reads.length;
    const argPos = ins.args.map((a) => kernel.reads.indexOf(a));
    const osr: OsrState | undefined = hooks.osr && ins.op !== "cond" ? { hook: hooks.osr, values: p.values, from: "js" } : undefined;
    const run = (...b: TypedArray[]) => runControl(ins, subs, argPos.map((i) => b[i]!), b.slice(nR), osr);
    const source = [`// ${ins.op}: a JS loop over ${subs.length} tier-1 sub-program(s)`, ...subs.map((e, i) => `// --- sub-program ${i} ---\n${e.describe()}`)].join("\n");
    return { step: { callSlots: slots, run }, info: { kind: "single", generated: false, generic: false, compileMs: 0, cached: true, source } };
  }
  if (kernel.kind === "single" && isCompiledIndexing(kernel.main)) {
    const code = indexingKernel(kernel.main, p.values, kernel.reads);
    const { factory, ms, cached } = compileFactory(code);
    const run = factory(...MATH_VALUES, ...code.dims);
    return { step: { callSlots: code.callSlots.map((i) => slots[i]!), run }, info: { kind: "single", generated: true, generic: true, compileMs: ms, cached, source: code.body } };
  }
  if (kernel.kind === "single") {
    const ins = kernel.main;
    // Reads are distinct values; an instruction may take one value twice (a scatter of x into itself).
    const argPos = ins.args.map((a) => kernel.reads.indexOf(a));
    const run = ins.op === "reshape" ? (src: TypedArray, dst: TypedArray) => dst.set(src) : (...b: TypedArray[]) => runInstr(ins, p.values, argPos.map((i) => b[i]!), b.at(-1)!);
    return { step: { callSlots: slots, run: run as Step["run"] }, info: { kind: "single", generated: false, generic: false, compileMs: 0, cached: true, source: `// reference kernel: ${ins.op}` } };
  }
  const placement: Placement[] = slots.map((s) => (s.kind === "const" || s.kind === "scratch" ? "captured" : "call"));
  const genericCode = generateKernel(p, kernel, placement, true, relaxed);
  const generic = policy.sizeGeneric === true || genericFamily(p, kernel, genericCode.key);
  const code = generic ? genericCode : generateKernel(p, kernel, placement, false, relaxed);
  const { factory, ms, cached } = compileFactory(code);
  const captured = code.capturedSlots.map((i) => {
    const s = slots[i]!;
    if (s.kind !== "const" && s.kind !== "scratch") throw new InternalError("tier js: a per-call buffer was placed in the closure");
    return s.buf;
  });
  const run = factory(...MATH_VALUES, ...captured, ...code.dims, ...code.tables.map((make) => make()));
  return {
    step: { callSlots: code.callSlots.map((i) => slots[i]!), run },
    info: { kind: kernel.kind, generated: true, generic, compileMs: ms, cached, source: code.body },
  };
}

export interface JsExecutable extends Executable {
  readonly kernels: readonly KernelInfo[];
}

/**
 * `profile.exact === false` (jit option `exact: false`) opts into float32 computed in
 * float64 (see codegen.ts); `hooks.osr` lets long loops continue in the next tier.
 */
export function compileJs(program: Program, profile?: ProfileView, hooks: CompileHooks = {}, policy: JsPolicy = JS_POLICY): JsExecutable {
  const relaxed = profile?.exact === false;
  const grouped = fuse(program, { matmulPrologueBroadcast: policy.matmulPrologueBroadcast });
  const fp = policy.splitLongLatency ? splitLongLatency(grouped) : grouped;
  const plan = planBuffers(program, fp.kernels);
  const bound = plan.steps.map(({ kernel }) => bindKernel(program, kernel, plan.slotOf, profile, hooks, policy));
  const steps = bound.map((b) => b.step);
  const infos = bound.map((b) => b.info);
  const nResults = program.outputs.length - program.stateOutputs;
  const nState = program.stateOutputs;
  const outInfo = program.outputs.map((v) => program.values[v]!);
  const stagedCopy = new Uint8Array(nState);
  const sizes = outInfo.map((v) => sizeOf(v.shape));

  function run(inputs: readonly TypedArray[], dest?: readonly (TypedArray | undefined)[]): TypedArray[] {
    const out: TypedArray[] = new Array(program.outputs.length);
    for (let k = 0; k < nResults; k++) out[k] = allocate(outInfo[k]!.dtype, sizes[k]!);
    for (let i = 0; i < nState; i++) {
      const k = nResults + i;
      const d = dest?.[k];
      stagedCopy[i] = 0;
      if (!d) out[k] = allocate(outInfo[k]!.dtype, sizes[k]!);
      else {
        const s = plan.stateWriter[i]!;
        const j = inputs.indexOf(d);
        // s < 0: no kernel writes this state (it is an input or a constant): it is copied at the end.
        const safe = s >= 0 && (j < 0 || plan.overwrite[i]![j] === 1);
        if (s >= 0 && !safe) stagedCopy[i] = 1;
        out[k] = safe ? d : plan.stage[i]!;
      }
    }
    const resolve = (sl: Slot): TypedArray =>
      "buf" in sl ? sl.buf : "j" in sl ? inputs[sl.j]! : out[sl.k]!;
    for (const st of steps) {
      const c = st.callSlots;
      switch (c.length) {
        case 0: st.run(); break;
        case 1: st.run(resolve(c[0]!)); break;
        case 2: st.run(resolve(c[0]!), resolve(c[1]!)); break;
        default: st.run(...c.map(resolve));
      }
    }
    // Final copies: results first, then every state value staged before any dest is written.
    for (const { k, from } of plan.copies) if (k < nResults) out[k]!.set(resolve(from));
    for (const { k, from } of plan.copies) {
      if (k >= nResults) {
        out[k]!.set(resolve(from));
        if (dest?.[k]) stagedCopy[k - nResults] = 1;
      }
    }
    for (let i = 0; i < nState; i++) {
      const k = nResults + i;
      if (stagedCopy[i]) {
        dest![k]!.set(out[k]!);
        out[k] = dest![k]!;
      }
    }
    return out;
  }

  const describe = () => {
    const parts = [`// tier js: ${steps.length} kernel(s)${relaxed ? ", exact: false (float32 computed in float64)" : ""}`, ...printFused(fp).split("\n").map((l) => `// ${l}`)];
    bound.forEach(({ info }, i) => {
      const how = !info.generated ? "reference kernel" : `${info.generic ? "size-generic" : "shapes baked in"}, ${info.cached ? "cached factory" : `compiled in ${info.compileMs.toFixed(3)} ms`}`;
      parts.push(`\n// step ${i}: ${info.kind} (${how})`, info.source);
    });
    return parts.join("\n");
  };
  return { tier: "js", run, describe, kernels: infos };
}

/** The kernels compileJs runs for `program`: the fusion pass, then tier 1's split policy. */
export function jsKernels(program: Program, policy: JsPolicy = JS_POLICY): string {
  const grouped = fuse(program, { matmulPrologueBroadcast: policy.matmulPrologueBroadcast });
  return printFused(policy.splitLongLatency ? splitLongLatency(grouped) : grouped);
}

export const jsTier: Tier = {
  name: "js",
  compile: (program, profile, hooks) => compileJs(program, profile, hooks),
  kernels: (program) => jsKernels(program),
};
