// SVG plots for `npm run demo`: each call's latency with the tier it ran in (tier
// transitions show as steps), and a spike raster. Plain strings, no dependencies.

export const TIER_COLORS: Record<string, string> = { interpreter: "#d62728", js: "#ff7f0e", wasm: "#2ca02c" };

export interface CallPoint {
  readonly ms: number;
  readonly tier: string;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Latency of each call on a log scale, one dot per call coloured by tier, with a line where the tier changes. */
export function latencySvg(calls: readonly CallPoint[], title: string): string {
  const W = 900, H = 360, L = 64, R = 150, T = 36, B = 44;
  const ms = calls.map((c) => Math.max(c.ms, 1e-3));
  const lo = Math.floor(Math.log10(Math.min(...ms))), hi = Math.ceil(Math.log10(Math.max(...ms)));
  const span = Math.max(1, hi - lo);
  const x = (i: number) => L + ((W - L - R) * i) / Math.max(1, calls.length - 1);
  const y = (v: number) => T + (H - T - B) * (1 - (Math.log10(Math.max(v, 1e-3)) - lo) / span);
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`, `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>`];
  for (let e = lo; e <= hi; e++) {
    const yy = y(10 ** e);
    out.push(`<line x1="${L}" x2="${W - R}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`, `<text x="${L - 6}" y="${yy + 4}" text-anchor="end">${10 ** e >= 1 ? 10 ** e : (10 ** e).toFixed(-e)} ms</text>`);
  }
  out.push(`<text x="${(L + W - R) / 2}" y="${H - 10}" text-anchor="middle">call</text>`);
  let changes = 0;
  calls.forEach((c, i) => {
    if (i > 0 && calls[i - 1]!.tier !== c.tier) {
      // Labels stack downwards: transitions a few calls apart would overlap.
      out.push(`<line x1="${x(i)}" x2="${x(i)}" y1="${T}" y2="${H - B}" stroke="${TIER_COLORS[c.tier] ?? "#888"}" stroke-dasharray="4 3"/>`,
        `<text x="${x(i) + 3}" y="${T + 12 + 14 * changes++}" fill="${TIER_COLORS[c.tier] ?? "#888"}">→ ${esc(c.tier)} (call ${i})</text>`);
    }
    out.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(c.ms).toFixed(1)}" r="1.8" fill="${TIER_COLORS[c.tier] ?? "#888"}"/>`);
  });
  Object.entries(TIER_COLORS).forEach(([tier, color], k) => {
    out.push(`<circle cx="${W - R + 20}" cy="${T + 20 + 18 * k}" r="5" fill="${color}"/>`, `<text x="${W - R + 30}" y="${T + 24 + 18 * k}">${tier}</text>`);
  });
  out.push(`<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="black"/>`, `<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="black"/>`, "</svg>");
  return out.join("\n");
}

/** A spike raster: `spikes[s][i]` nonzero when neuron i spiked at step s; one dot per spike, coloured by the tier of its step. */
export function rasterSvg(spikes: readonly ArrayLike<number>[], tiers: readonly string[], title: string): string {
  const n = spikes[0]?.length ?? 0;
  const W = 900, H = 420, L = 50, R = 20, T = 36, B = 40;
  const x = (s: number) => L + ((W - L - R) * s) / Math.max(1, spikes.length);
  const y = (i: number) => T + ((H - T - B) * i) / Math.max(1, n);
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`, `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>`];
  spikes.forEach((row, s) => {
    for (let i = 0; i < n; i++) if (row[i]) out.push(`<rect x="${x(s).toFixed(1)}" y="${y(i).toFixed(1)}" width="1.5" height="1.5" fill="${TIER_COLORS[tiers[s] ?? ""] ?? "black"}"/>`);
  });
  out.push(`<text x="${L - 6}" y="${T + 4}" text-anchor="end">0</text>`, `<text x="${L - 6}" y="${H - B}" text-anchor="end">${n}</text>`,
    `<text x="${(L + W - R) / 2}" y="${H - 10}" text-anchor="middle">step (dot colour: the tier the step ran in)</text>`,
    `<text x="14" y="${(T + H - B) / 2}" transform="rotate(-90 14 ${(T + H - B) / 2})" text-anchor="middle">neuron</text>`, "</svg>");
  return out.join("\n");
}
