import { expect, it } from "vitest";
import { jit, np, type NDArray } from "../index.js";

it("prints nested sub-programs indented by depth", () => {
  const f = jit((x: NDArray) => np.forLoop(0, 3, (_i, c: NDArray) => np.forLoop(0, 2, (_j, d: NDArray) => d.add(1), c).mul(2), x), { tier: "interpreter" });
  f(np.ones([2]));
  expect(f.inspect().signatures[0]!.ir).toBe(
    [
      "program(%0: f32[2] <args[0]>) {",
      "  %1: f32[2] = loop[lo=0 hi=3 carry=1] %0 {",
      "    body: program(%0: i32[] <i>, %1: f32[2] <carry0>) {",
      "      %2: f32[2] = loop[lo=0 hi=2 carry=1] %1 {",
      "        body: program(%0: i32[] <i>, %1: f32[2] <carry0>) {",
      "          %3: f32[2] = add %1, 1:f32[]",
      "          return %3 -> out0",
      "        }",
      "      }",
      "      %4: f32[2] = mul %2, 2:f32[]",
      "      return %4 -> out0",
      "    }",
      "  }",
      "  return %1 -> result",
      "}",
    ].join("\n"),
  );
});
