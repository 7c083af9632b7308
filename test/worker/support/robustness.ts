/**
 * What the robustness suite (test/worker/robustness-*.test.ts) shares: generators of bad input
 * (fast-check arbitraries), the assertion every bad input must meet (a 4xx with a JSON error body),
 * and a tally of how many generated inputs each endpoint received.
 *
 * Bodies are built as JSON *text* rather than objects, so that a `"__proto__"` key, a depth of
 * thousands or a lone surrogate reaches the Worker exactly as written.
 */
import { exports } from 'cloudflare:workers';
import fc from 'fast-check';
import { expect } from 'vitest';
import { parseCidr } from '../../../shared/resolve/ip';
import { Domain, ErrorBody, Id } from '../../../shared/schemas';

// ── Tally ───────────────────────────────────────────────────────────────────────

const tally = new Map<string, number>();

/** Sends a request to the Worker and counts it against `endpoint` (e.g. `POST /v1/decide`). */
export function send(endpoint: string, request: Request): Promise<Response> {
  tally.set(endpoint, (tally.get(endpoint) ?? 0) + 1);
  return exports.default.fetch(request);
}

/** Logs the inputs each endpoint got in this file and answers their total. */
export function reportTally(file: string): number {
  const rows = [...tally].sort(([a], [b]) => a.localeCompare(b));
  const total = rows.reduce((n, [, count]) => n + count, 0);
  console.log(`${file}: ${total} generated inputs\n${rows.map(([endpoint, count]) => `  ${String(count).padStart(6)}  ${endpoint}`).join('\n')}`);
  return total;
}

// ── Replaying a failure ─────────────────────────────────────────────────────────

/**
 * A failing property prints `{ seed: …, path: "…" }` and a line to run it again with exactly those inputs:
 *
 *   VITE_PZ_SEED=-276501121 VITE_PZ_PATH=35:0 npx vitest run test/worker/robustness-admin-sites.test.ts -t "bad cursors"
 *
 * The tests run inside workerd, where the shell's environment is not `process.env`: vitest hands the
 * worker only the variables matching vite's `envPrefix` (`VITE_` unless vitest.config.ts says more),
 * through `import.meta.env`. Bare `PZ_SEED` / `PZ_PATH` are read too, for a config whose envPrefix lists
 * `PZ_`. Unset, seeds stay random. A path only means something for the property that printed it, so the
 * line picks that test with `-t`.
 */
const shellEnv: Record<string, unknown> = (import.meta as { env?: Record<string, unknown> }).env ?? {};
const setting = (name: string): string | undefined => {
  const value = shellEnv[name] ?? shellEnv[`VITE_${name}`];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

function replay(): { seed?: number; path?: string } {
  const seed = setting('PZ_SEED');
  const path = setting('PZ_PATH');
  if (seed !== undefined && !/^-?\d+$/.test(seed)) throw new Error(`PZ_SEED must be the integer seed fast-check printed, not ${JSON.stringify(seed)}`);
  if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) throw new Error(`PZ_PATH must be the path fast-check printed (e.g. 35:0), not ${JSON.stringify(path)}`);
  if (path !== undefined && seed === undefined) throw new Error('PZ_PATH replays a run of one seed: set PZ_SEED too');
  return { ...(seed !== undefined && { seed: Number(seed) }), ...(path !== undefined && { path }) };
}

/**
 * `text` cut to `max` UTF-16 units without splitting a surrogate pair, lone surrogates written as `\uXXXX`:
 * a message must be well-formed UTF-16 to get from workerd to vitest.
 */
export function printable(text: string, max: number): string {
  const cut = text.length > max ? text.slice(0, /[\ud800-\udbff]/.test(text[max - 1] ?? '') ? max - 1 : max) : text;
  const escaped = cut.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  return cut === text ? escaped : `${escaped}… (${text.length} chars)`;
}

/** A failure report with each line cut to 1,000 characters (counterexamples can be 300 KB long), and how to replay it. */
function shortReport<Ts>(details: fc.RunDetails<Ts>): void {
  if (!details.failed) return;
  const message = fc.defaultReportMessage(details) ?? 'property failed';
  const { testPath, currentTestName } = expect.getState();
  const file = testPath?.match(/test\/worker\/[^/]+$/)?.[0] ?? 'test/worker/robustness-….test.ts';
  // -t takes a regular expression; quoted for a POSIX shell (test names hold backticks)
  const name = currentTestName?.split(' > ').at(-1)?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const test = name ? ` -t '${name.replace(/'/g, `'\\''`)}'` : '';
  const path = details.counterexamplePath ? ` VITE_PZ_PATH=${details.counterexamplePath}` : '';
  const hint = `Replay: VITE_PZ_SEED=${details.seed}${path} npx vitest run ${file}${test}`;
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  // no `cause`: its message may hold a lone surrogate, which workerd cannot send on to vitest
  throw new Error([...message.split('\n'), `Got: ${error.split('\n')[0]}`, hint].map((line) => printable(line, 1000)).join('\n'));
}

/** Whether PZ_SEED is set: a replay runs one test, so a file's floor on the number of generated inputs does not apply. */
export const replaying = replay().seed !== undefined;

/** fast-check parameters: `numRuns` generated inputs, a readable report on failure, the seed and path of PZ_SEED / PZ_PATH when set. */
export const runs = <Ts>(numRuns: number): fc.Parameters<Ts> => ({ numRuns, maxSkipsPerRun: 1000, reporter: shortReport<Ts>, ...replay() });

/** The status a decide-sized body limit gives: 413 past `max` bytes, else `otherwise`. */
export const byteLength = (body: string | Uint8Array) => (typeof body === 'string' ? new TextEncoder().encode(body).length : body.length);
export const sized = (body: string | Uint8Array, max: number, otherwise: number[]) => (byteLength(body) > max ? [413] : otherwise);

// ── The property every bad input must meet ──────────────────────────────────────

/**
 * A 4xx (one of `statuses` when given) with a JSON body shaped as shared/schemas ErrorBody
 * (`{ error, issues? }`); answers the body.
 */
export async function expectJsonError(res: Response, what: string, statuses?: readonly number[]): Promise<ErrorBody> {
  const text = await res.text();
  const label = `${printable(what, 300)} → ${res.status} ${printable(text, 300)}`;
  expect(res.status, label).toBeGreaterThanOrEqual(400);
  expect(res.status, label).toBeLessThan(500);
  if (statuses) expect(statuses, label).toContain(res.status);
  expect(res.headers.get('content-type') ?? '', label).toMatch(/^application\/json/);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${label}: the body is not JSON`);
  }
  const body = ErrorBody.safeParse(json);
  expect(body.success, label).toBe(true);
  return body.data!;
}

/** Nothing leaked onto Object.prototype (the tests run in the Worker's isolate). */
export function expectPrototypeClean(): void {
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'isAdmin', 'admin', 'toString2']) expect(probe[key], `Object.prototype.${key}`).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
}

// ── JSON text ───────────────────────────────────────────────────────────────────

/** JSON text of a value (non-finite numbers become null, as JSON.stringify does). */
export const j = (value: unknown) => JSON.stringify(value) ?? 'null';

/** An object's JSON text from raw member texts, so any key (`__proto__` too) and any value text stays as written. */
export const obj = (members: readonly (readonly [key: string, valueText: string])[]) => `{${members.map(([k, v]) => `${j(k)}:${v}`).join(',')}}`;

/**
 * Parses JSON text as the contract reads it; undefined when it is not JSON, or when it carries a
 * `"__proto__"` key anywhere (refused at any depth, edge/http/read-json.ts).
 */
export function tryParse(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // iteratively: bodies here nest 300,000 deep
  for (const stack = [value]; stack.length; ) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Object.keys(node).includes('__proto__')) return undefined;
    for (const child of Object.values(node)) stack.push(child);
  }
  return value;
}

/** Whether `schema` would accept the JSON text (the contract is the zod schemas in shared/schemas). */
export const accepts = (schema: { safeParse(v: unknown): { success: boolean } }, text: string) => {
  const value = tryParse(text);
  return value !== undefined && schema.safeParse(value).success;
};

// ── Bad values ──────────────────────────────────────────────────────────────────

/** Keys that pollute prototypes when code copies or merges objects carelessly. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', '__defineGetter__', '__lookupGetter__', 'hasOwnProperty', 'toString', 'valueOf'] as const;
export const protoKey = fc.constantFrom(...PROTO_KEYS);

/** A payload that would mark Object.prototype if anything merged it. */
export const pollutionText = fc.constantFrom(
  '{"polluted":true}',
  '{"prototype":{"polluted":true}}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '"polluted"',
  '[{"polluted":true}]',
);

/** Text of any code points, lone surrogates, controls and markup characters included. */
export const anyText = (maxLength = 40) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme-ascii', maxLength }),
    fc.string({ unit: fc.constantFrom('\ud800', '\udfff', '\u0000', '\u0007', '\u202e', '\ufeff', '\u2028', '%', '/', '.', '<', '>', '"', "'", '\\', ' ', '\n', 'a', 'Z', '0', '-', '_', '@', ':'), maxLength }),
  );

/** Strings from 5 KB to 70 KB: over every field limit and most body limits. */
export const hugeText = fc
  .tuple(fc.integer({ min: 5_000, max: 70_000 }), fc.constantFrom('x', 'é', '\ud83d\ude00', '<', '"', '\\', '\ud800'))
  .map(([n, ch]) => ch.repeat(Math.ceil(n / ch.length)));

/** JSON text nested `depth` deep: arrays, objects, or both. */
export const deepText = (maxDepth: number) =>
  fc.tuple(fc.integer({ min: 2, max: maxDepth }), fc.constantFrom('array', 'object', 'mixed')).map(([depth, kind]) => {
    if (kind === 'array') return '['.repeat(depth) + ']'.repeat(depth);
    if (kind === 'object') return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    return '{"a":['.repeat(depth) + ']}'.repeat(depth);
  });

/** JSON text of a value of the wrong type for most fields (filter with the field's schema). */
export const wrongTypeText = (maxDepth = 200) =>
  fc.oneof(
    fc.constant('null'),
    fc.boolean().map(j),
    fc.integer().map(j),
    fc.double().map(j),
    fc.constantFrom('1e309', '-0', '1e-400', '0.1e2', '9007199254740993', '-1'),
    anyText(60).map(j),
    hugeText.map(j),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }).map(j),
    fc.dictionary(anyText(10), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map(j),
    deepText(maxDepth),
    fc.tuple(protoKey, pollutionText).map(([k, v]) => obj([[k, v]])),
  );

/** Strings that are not ids (shared/schemas/primitives.ts Id). */
export const badId = fc
  .oneof(
    fc.constantFrom('', 'A', 'Acme', '-a', '_a', 'a b', 'a/b', 'a.b', 'ä', '__proto__', 'a\u0000', 'x'.repeat(65), '%', '..', '.', ' a', 'a\n', 'café', 'a;b', 'a?b', 'a#b', 'a&b'),
    anyText(80),
    hugeText.map((s) => s.slice(0, 3000)),
  )
  .filter((s) => !Id.safeParse(s).success);

/** Strings that are not company domains (shared/schemas/primitives.ts Domain). */
export const badDomain = fc
  .oneof(
    fc.constantFrom(
      '', ' ', 'localhost', 'com', '.com', 'a..b.com', '-a.com', 'a-.com', 'a_b.com', 'a.com/x', 'a.com:443', 'http://a.com', 'jane@a.com',
      '*.a.com', 'a .com', 'xn--', `${'x'.repeat(64)}.com`, `${'a.'.repeat(130)}com`, '__proto__', 'constructor', 'a.com\u0000', 'ａ.com', '[::1]',
    ),
    anyText(80),
    hugeText.map((s) => s.slice(0, 2000)),
  )
  .filter((s) => !Domain.safeParse(s).success);

/** Strings that are not CIDR ranges the edge accepts (shared/resolve/ip.ts parseCidr). */
export const badCidr = fc
  .oneof(
    fc.constantFrom(
      '', '10.0.0.0/33', '10.0.0.0/7', '0.0.0.0/0', '256.1.1.1/24', '1.2.3/24', '1.2.3.4.5/32', '01.2.3.4/24', '1.2.3.4/-1', '1.2.3.4/ 8', '1.2.3.4/24/1',
      '1.2.3.4/', '::/0', '2001:db8::/23', '2001:db8::/129', '2001:db8:::1/64', 'gggg::/64', '1:2:3:4:5:6:7:8:9/128', '::ffff:999.1.1.1/120', 'example.com/24',
      '10.0.0.0/08x', '1.2.3.4\u0000/24',
    ),
    fc.tuple(fc.ipV4(), fc.integer({ min: -3, max: 300 })).map(([ip, bits]) => `${ip}/${bits}`),
    fc.tuple(fc.ipV6(), fc.integer({ min: -3, max: 300 })).map(([ip, bits]) => `${ip}/${bits}`),
    anyText(64),
  )
  .filter((s) => !parseCidr(s).ok);

/** Browser origins that are neither the edge's own (https://edge.test) nor in `allowed` (exact, or `http://localhost:*`). */
export const foreignOrigin = (allowed: readonly string[]) =>
  fc
    .oneof(
      fc.constantFrom(
        'null', 'https://evil.example', 'http://www.vendor.example', 'https://www.vendor.example:8443', 'https://www.vendor.example.evil.com',
        'http://localhost.evil.example', 'https://localhost:3000', 'http://127.0.0.1:8787', 'file://', 'chrome-extension://abcdef', 'https://edge.test.evil.com',
      ),
      fc.webUrl().map((u) => new URL(u).origin),
      fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
    )
    .filter((o) => o !== 'https://edge.test' && !allowed.includes(o) && !/^http:\/\/localhost(:\d{1,5})?$/.test(o) && !/[\r\n\0]/.test(o) && o.trim() === o && o !== '');

/** Bytes that are never valid UTF-8 wherever they are spliced in. */
export const INVALID_UTF8: readonly (readonly number[])[] = [
  [0xff],
  [0xfe],
  [0xc0, 0x80], // overlong NUL
  [0xc1, 0xbf],
  [0xe0, 0x80, 0x80], // overlong
  [0xed, 0xa0, 0x80], // an encoded surrogate
  [0xf4, 0x90, 0x80, 0x80], // over U+10FFFF
  [0xf8, 0x88, 0x80, 0x80, 0x80], // 5-byte form
  [0x80], // a lone continuation byte
  [0xe2, 0x82], // truncated 3-byte sequence
];

/** `text` as UTF-8 with an invalid byte sequence spliced in at a generated position (inside a character too: still invalid). */
export const withInvalidUtf8 = (text: fc.Arbitrary<string>) =>
  fc.tuple(text, fc.constantFrom(...INVALID_UTF8), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()).map(([t, bad, where, twice]) => {
    const bytes = new TextEncoder().encode(t);
    const at = Math.floor(where * bytes.length);
    const parts = [bytes.slice(0, at), Uint8Array.from(bad), bytes.slice(at), ...(twice ? [Uint8Array.from(bad)] : [])];
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  });

// ── URLs ────────────────────────────────────────────────────────────────────────

/** Percent-encodes a string as one path segment (lone surrogates become U+FFFD, as a browser would send them). */
export function segment(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) out += /[A-Za-z0-9_~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/** Segments sent as typed, not encoded: malformed escapes, encoded slashes and dots. Each decodes to no valid id or domain. */
export const RAW_SEGMENTS = ['%', '%ZZ', '%E0%A4%A', '%ff', '%00', '%2F', 'a%2Fb', '%2e%2e', '%252F', '%C0%AE', '%u0061', 'a%20b', '%F0%9F%98'] as const;
export const rawSegment = fc.constantFrom(...RAW_SEGMENTS);

/** A path segment carrying a bad value: encoded, or raw and malformed. */
export const badSegment = (bad: fc.Arbitrary<string>) => fc.oneof({ weight: 4, arbitrary: bad.map(segment) }, { weight: 1, arbitrary: rawSegment });
