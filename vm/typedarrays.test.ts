// Typed arrays as np.array's input, op arguments and jit arguments: read by value into
// the dtype that holds every value of the element type (never reinterpreted bit for bit).

import { describe, expect, it } from "vitest";
import { DTypeError, Variable, jit, np, type ArrayLike, type NDArray } from "../index.js";
import { everywhere } from "../testing/tiers.js";

describe("np.array of typed arrays", () => {
  it("a Uint8Array is int32 with the same values (it was a corrupt bool array: sum 257, printed [false, true, true])", () => {
    const a = np.array(new Uint8Array([0, 2, 255]));
    expect(a.dtype).toBe("int32");
    expect(a.toArray()).toEqual([0, 2, 255]);
    expect(a.sum().item()).toBe(257);
    expect(String(a)).toBe("array([0, 2, 255], dtype=int32)");
  });
  it("bool from bytes needs { dtype: 'bool' }: values != 0", () => {
    const b = np.array(new Uint8Array([0, 2, 255, 1]), { dtype: "bool" });
    expect(b.toArray()).toEqual([false, true, true, true]);
    expect(b.sum().item()).toBe(3);
    expect(np.array(new Float32Array([NaN, -0, 0.5]), "bool").toArray()).toEqual([true, false, true]);
  });
  it("8- and 16-bit integers become int32 with their values, extremes included", () => {
    const cases: [ArrayBufferView & { length: number }, number[]][] = [
      [new Int8Array([-128, -1, 0, 127]), [-128, -1, 0, 127]],
      [new Uint8ClampedArray([0, 128, 255]), [0, 128, 255]],
      [new Int16Array([-32768, -1, 32767]), [-32768, -1, 32767]],
      [new Uint16Array([0, 40000, 65535]), [0, 40000, 65535]],
      [new Uint8Array(Buffer.from([7, 200])), [7, 200]],
    ];
    for (const [t, want] of cases) {
      const a = np.array(t as never);
      expect(a.dtype, t.constructor.name).toBe("int32");
      expect(a.toArray(), t.constructor.name).toEqual(want);
    }
  });
  it("a Uint32Array is float64 (values above 2^31 - 1 do not fit int32), unless { dtype } says otherwise", () => {
    const u = new Uint32Array([0, 2 ** 31, 4294967295]);
    const a = np.array(u);
    expect(a.dtype).toBe("float64");
    expect(a.toArray()).toEqual([0, 2 ** 31, 4294967295]);
    expect(np.array(u, "int32").toArray()).toEqual([0, 2147483647, 2147483647]); // a value cast saturates, as every cast
    expect(np.array(u, "float32").toArray()).toEqual([0, 2 ** 31, 2 ** 32]);
  });
  it("float and int32 arrays keep their dtype; a dtype converts values; a view reads its own window", () => {
    expect(np.array(new Float64Array([-0, NaN])).toTypedArray()).toEqual(new Float64Array([-0, NaN]));
    expect(np.array(new Int32Array([-2147483648])).dtype).toBe("int32");
    expect(np.array(new Float64Array([1.9, -1.9, NaN, 1e300]), "int32").toArray()).toEqual([1, -1, 0, 2147483647]);
    expect(np.array(new Int16Array([-3, 3]), "float32").toArray()).toEqual([-3, 3]);
    expect(np.array(new Uint8Array([1, 2, 3, 4]).subarray(1, 3)).toArray()).toEqual([2, 3]);
    expect(np.array(new Int8Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] }).toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(np.array(new Uint16Array(0)).shape).toEqual([0]);
  });
  it("a copy: changing the source later changes nothing", () => {
    const src = new Uint8Array([1, 2]);
    const a = np.array(src);
    src[0] = 9;
    expect(a.toArray()).toEqual([1, 2]);
  });
  it("BigInt64Array, BigUint64Array and DataView are a DTypeError naming the type", () => {
    expect(() => np.array(new BigInt64Array(2) as never)).toThrow(/BigInt64Array is not supported.*64-bit integers/);
    expect(() => np.array(new BigInt64Array(2) as never)).toThrow(DTypeError);
    expect(() => np.array(new BigUint64Array(2) as never)).toThrow(DTypeError);
    expect(() => np.array(new DataView(new ArrayBuffer(8)) as never)).toThrow(/DataView has no element type/);
    expect(() => np.add(new BigInt64Array(1) as never, 1)).toThrow(DTypeError);
  });
  it("ops and Variables read typed arrays the same way", () => {
    expect(np.add(new Uint8Array([250, 5]), 10).toArray()).toEqual([260, 15]);
    const v = new Variable(new Uint16Array([1, 65535]));
    expect(v.dtype).toBe("int32");
    expect(v.value.toArray()).toEqual([1, 65535]);
  });
});

describe("typed arrays as jit arguments", () => {
  it("behave as np.array would, in every tier (Uint8Array 255 stays 255)", () => {
    const f = (x: ArrayLike) => np.sum(x);
    for (const tier of ["interpreter", "js", "wasm"] as const) {
      const j = jit(f, { tier });
      expect(j(new Uint8Array([0, 2, 255])).item(), tier).toBe(257);
      expect(j(new Uint32Array([4294967295, 1])).item(), tier).toBe(4294967296);
      expect(j(new Int8Array([-128, 127])).dtype, tier).toBe("int32");
    }
    expect(everywhere((x) => np.mul(x, 2), np.array(new Int16Array([-32768, 32767]))).values).toEqual([-65536, 65534]);
  });
  it("share a signature with the NDArray np.array makes of them; nested in argument trees too", () => {
    const j = jit((x: ArrayLike) => np.add(x, 1));
    j(new Uint8Array([1, 2]));
    j(np.array([3, 4], "int32"));
    expect(j.inspect().signatures.length).toBe(1);
    expect(j.inspect().signatures[0]!.signature).toBe("i32[2]");
    const g = jit((o: { a: NDArray; b: NDArray[] }) => np.add(o.a, o.b[0]!));
    expect(g({ a: new Int8Array([-1, 1]) as never, b: [new Float64Array([0.5, 0.5]) as never] }).toArray()).toEqual([-0.5, 1.5]);
  });
  it("an unsupported view is a DTypeError naming the argument", () => {
    const j = jit((x: NDArray) => x);
    expect(() => j(new BigInt64Array(2) as never)).toThrow(DTypeError);
    expect(() => j(new BigInt64Array(2) as never)).toThrow(/args\[0\]/);
  });
});
