// TIERJIT_LOG=1 logs traces and tier events to stderr. Read once at start-up;
// `setLogging` changes it at run time (tests, REPLs).

let enabled = typeof process !== "undefined" && !!process.env?.TIERJIT_LOG && process.env.TIERJIT_LOG !== "0";

export function setLogging(on: boolean): void {
  enabled = on;
}

export function log(message: string): void {
  if (enabled) process.stderr.write(`[tierjit] ${message}\n`);
}
