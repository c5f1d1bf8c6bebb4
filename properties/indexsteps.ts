// The indexing steps of the catalog (their programs: properties/indexing.ts), kept
// apart so that the catalog does not import the step builders (fit.ts imports the
// recipe, which imports the catalog).

import { SCATTER_MODES } from "../ir/indexing.js";

export const INDEX_KINDS = ["slice", "gather", "take", "takeAlongAxis", "scatter", "segment", "dynamicSlice", "dynamicUpdateSlice", "sparse"] as const;
export type IndexKind = (typeof INDEX_KINDS)[number];

/** The catalog entries: one per kind, scatter once per mode and segments once per reduction. */
export const INDEX_STEPS: readonly { kind: IndexKind; op: string }[] = [
  { kind: "slice", op: "slice" },
  { kind: "gather", op: "slice" },
  { kind: "take", op: "take" },
  { kind: "takeAlongAxis", op: "takeAlongAxis" },
  ...SCATTER_MODES.map((m) => ({ kind: "scatter" as const, op: m })),
  ...(["segmentSum", "segmentMax", "segmentMin"] as const).map((op) => ({ kind: "segment" as const, op })),
  { kind: "dynamicSlice", op: "dynamicSlice" },
  { kind: "dynamicUpdateSlice", op: "dynamicUpdateSlice" },
  { kind: "sparse", op: "matvec" },
  { kind: "sparse", op: "rmatvec" },
];

