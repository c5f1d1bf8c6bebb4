// Module: the base class for objects that hold Variables and a `call` method, as in
// BrainPy. `jit(module)` traces `module.call`; Variables it reads and assigns are the
// program's state, every other field it reads is a compile-time constant. A field
// that later holds another object or number retraces (vm/fields.ts).
//
// `Module.jitMethods(Class, ...names)` (or the `@jitMethod` decorator) makes chosen
// methods jitted for every instance: each instance gets its own compiled function on
// first call, because constants are read from that instance.

import { ArgumentError } from "../ir/errors.js";
import { jitWith, type JitOptions, type Jitted } from "./jit.js";
import { Variable } from "./variable.js";

const perInstance = new WeakMap<object, Map<PropertyKey, Jitted<(...a: any[]) => any>>>();

function jittedFor(self: object, key: PropertyKey, method: (...a: any[]) => any, options: JitOptions): Jitted<(...a: any[]) => any> {
  let table = perInstance.get(self);
  if (!table) perInstance.set(self, (table = new Map()));
  let f = table.get(key);
  if (!f) {
    const name = `${self.constructor.name}.${String(key)}`;
    table.set(key, (f = jitWith(method, self, { name, ...options })));
  }
  return f;
}

export class Module {
  /** The Variables held in this module's own fields (and nested Modules'), in field order. */
  variables(): Variable[] {
    const out: Variable[] = [];
    const seen = new Set<object>();
    const visit = (o: unknown): void => {
      if (o === null || typeof o !== "object" || seen.has(o)) return;
      seen.add(o);
      if (o instanceof Variable) out.push(o);
      else if (o instanceof Module || Array.isArray(o)) for (const v of Object.values(o)) visit(v);
    };
    visit(this);
    return out;
  }

  /**
   * Every Variable reachable from this module's fields (nested Modules, arrays and
   * plain records included), keyed by its path (`"layer1.w"`, `"layers.0.b"`), in field
   * order; a Variable reached twice keeps its first path. `grad(loss, { vars: model.vars() })`
   * returns the gradients under the same keys.
   */
  vars(): Record<string, Variable> {
    const out: Record<string, Variable> = {};
    const seen = new Set<object>();
    const visit = (o: unknown, path: string): void => {
      if (o === null || typeof o !== "object" || seen.has(o)) return;
      seen.add(o);
      if (o instanceof Variable) out[path] = o;
      else if (o instanceof Module || Array.isArray(o) || Object.getPrototypeOf(o) === Object.prototype) {
        for (const [k, v] of Object.entries(o)) visit(v, path === "" ? k : `${path}.${k}`);
      }
    };
    visit(this, "");
    return out;
  }

  /** The jitted form of method `name` for this instance (see `Module.jitMethods`). */
  jitted<K extends keyof this>(name: K): this[K] & Jitted<any> {
    const m = (this as any)[name];
    if (typeof m !== "function") throw new ArgumentError(`Module.jitted: ${String(name)} is not a method of ${this.constructor.name}`);
    return jittedFor(this, name as PropertyKey, m.__tierjitOriginal ?? m, {}) as any;
  }

  /** Replaces the named methods of `cls` with per-instance jitted versions. */
  static jitMethods(cls: { prototype: object }, ...names: string[]): void {
    for (const name of names) {
      const original = (cls.prototype as any)[name];
      if (typeof original !== "function") throw new ArgumentError(`Module.jitMethods: ${name} is not a method of ${(cls as any).name}`);
      (cls.prototype as any)[name] = wrapMethod(name, original, {});
    }
  }
}

function wrapMethod(name: PropertyKey, original: (...a: any[]) => any, options: JitOptions) {
  const wrapped = function (this: object, ...args: any[]) {
    return jittedFor(this, name, original, options)(...args);
  };
  (wrapped as any).__tierjitOriginal = original;
  return wrapped;
}

/**
 * Method decorator: `@jitMethod()` jits the method per instance. Works both as a
 * standard (TC39) decorator, as tsc compiles by default, and as a legacy
 * (`experimentalDecorators`) one, as esbuild, oxc and Babel's legacy mode emit.
 */
export function jitMethod(options: JitOptions = {}) {
  function decorate<T extends (...a: any[]) => any>(method: T, context: ClassMethodDecoratorContext): T;
  function decorate(target: object, key: PropertyKey, descriptor: PropertyDescriptor): PropertyDescriptor;
  function decorate(a: any, b: any, c?: PropertyDescriptor): any {
    if (c !== undefined && typeof c.value === "function") return { ...c, value: wrapMethod(b, c.value, options) };
    if (typeof a === "function" && b && typeof b === "object" && b.kind === "method") return wrapMethod(b.name, a, options);
    throw new ArgumentError("@jitMethod() can only decorate methods");
  }
  return decorate;
}
