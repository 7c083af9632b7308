// Snippet size: dist/p.js (npm run build) next to the script-tag builds of two tools a marketer
// might otherwise paste: GrowthBook's auto bundle and PostHog's array.js. Minified bytes as shipped,
// gzip at level 9 (what a CDN typically serves).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { root } from '../scripts/lib.mjs';

// The build's ceiling (scripts/build.mjs fails above it).
export const SNIPPET_BUDGET_GZIP = 2048;

function version(pkg) {
  return JSON.parse(readFileSync(`${root}node_modules/${pkg}/package.json`, 'utf8')).version;
}

function measure(name, file, pkg) {
  const code = readFileSync(`${root}${file}`);
  return { name, file, version: pkg ? version(pkg) : undefined, min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

export function measureSizes() {
  const ours = measure('snippet (dist/p.js)', 'dist/p.js');
  const others = [
    measure('@growthbook/growthbook auto.min.js', 'node_modules/@growthbook/growthbook/dist/bundles/auto.min.js', '@growthbook/growthbook'),
    measure('posthog-js array.js', 'node_modules/posthog-js/dist/array.js', 'posthog-js'),
  ].map((o) => ({ ...o, ratioGzip: ours.gzip / o.gzip, ratioMin: ours.min / o.min }));
  return { ours, others, budget: SNIPPET_BUDGET_GZIP, met: ours.gzip <= SNIPPET_BUDGET_GZIP };
}
