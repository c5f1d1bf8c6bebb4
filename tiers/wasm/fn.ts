// Building one wasm function as a recipe: locals, statement lists and the SSA habit
// of the lowering. Every computed value is stored in a fresh local (`let`) and used
// through `local.get`, so an expression tree never duplicates work however often the
// algorithms in math32.ts reuse a value; V8's register allocator removes the locals.

import { x, ty, type Expr, type FuncRecipe, type Ty } from "./recipe.js";

export class Fn {
  private readonly vars: Ty[] = [];
  private stmts: Expr[] = [];
  private labels = 0;

  /**
   * `fastMath`: the module was compiled for `exact: false`. No lowering reads it today:
   * the default float32 algorithms (ir/math/float32.ts) already run at full f32x4
   * width, so tier 2 has nothing faster to swap in.
   */
  constructor(readonly name: string, private readonly params: readonly Ty[] = [], readonly fastMath = false) {}

  local(t: Ty): number {
    this.vars.push(t);
    return this.params.length + this.vars.length - 1;
  }

  get(i: number, t: Ty): Expr {
    return x("local.get", i, ty(t));
  }

  /** Stores `e` in a new local of type `t` and returns a read of it. */
  let(t: Ty, e: Expr): Expr {
    const i = this.local(t);
    this.stmts.push(x("local.set", i, e));
    return this.get(i, t);
  }

  emit(e: Expr): void {
    this.stmts.push(e);
  }

  label(prefix: string): string {
    return `${prefix}${this.labels++}`;
  }

  /** Runs `body` collecting the statements it emits into a block. */
  block(body: () => void): Expr {
    const saved = this.stmts;
    this.stmts = [];
    body();
    const inner = this.stmts;
    this.stmts = saved;
    return x("block", null, inner, ty("none"));
  }

  /** `for (i = from; i < to; i += step) body()` with a runtime i32 counter; skipped when from >= to. */
  loop(from: number, to: number, step: number, body: (i: Expr) => void): void {
    if (from >= to) return;
    const i = this.local("i32");
    const iv = this.get(i, "i32");
    const name = this.label("L");
    this.emit(x("local.set", i, x("i32.const", from)));
    const inner = this.block(() => {
      body(iv);
      this.emit(x("local.set", i, x("i32.add", iv, x("i32.const", step))));
      this.emit(x("br_if", name, x("i32.lt_s", iv, x("i32.const", to))));
    });
    this.emit(x("loop", name, inner));
  }

  finish(): FuncRecipe {
    return { name: this.name, params: this.params, result: "none", vars: this.vars, body: x("block", null, this.stmts, ty("none")) };
  }
}
