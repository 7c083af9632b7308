/**
 * Robustness of the public endpoints under generated bad input (fast-check): POST /v1/decide,
 * OPTIONS /v1/decide, GET /p.js, and wrong methods or paths next to them. Every bad input gets a 4xx
 * with a JSON error body (never a 5xx, never a hang), and nothing is written: the site's KV records
 * are byte for byte the same afterwards and Object.prototype stays clean.
 */
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SNIPPET, SNIPPET_VERSION } from '../../build/snippet';
import { DecideRequest, DecideResponse } from '../../shared/schemas';
import { ALLOWED_ORIGIN, SITE, page, seedFixture, signed } from './support/fixture';
import { signLink } from '../../shared/links/signed-link';
import {
  accepts,
  anyText,
  badId,
  deepText,
  expectJsonError,
  expectPrototypeClean,
  foreignOrigin,
  hugeText,
  j,
  obj,
  pollutionText,
  protoKey,
  rawSegment,
  replaying,
  reportTally,
  runs,
  segment,
  send,
  sized,
  withInvalidUtf8,
  wrongTypeText,
} from './support/robustness';

const EDGE = 'https://edge.test';
const DECIDE = 'POST /v1/decide';
const MAX_BODY = 16 * 1024;
const ALLOWED = [ALLOWED_ORIGIN];

/** Every KV record of the fixture site, to prove bad input wrote nothing. */
async function kvState(): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const prefix of [`config:${SITE}`, `acct:${SITE}:`, `org:${SITE}:`, `ip:${SITE}:`]) {
    const { keys } = await env.KV.list({ prefix });
    for (const { name } of keys) out[name] = await env.KV.get(name, 'text');
  }
  return out;
}

let before: Record<string, string | null>;
beforeEach(async () => {
  await seedFixture();
  before = await kvState();
});

async function expectUnchanged() {
  expect(await kvState()).toEqual(before);
  expectPrototypeClean();
}

let total = 0;
afterAll(() => {
  total = reportTally('robustness-public');
  if (!replaying) expect(total).toBeGreaterThanOrEqual(5_000);
});

/** POST /v1/decide with a body given as JSON text, bytes or a stream, as the snippet sends it (text/plain). */
function decide(text: string | Uint8Array | ReadableStream, headers: Record<string, string> = {}, cf?: Record<string, unknown>) {
  // as a browser sends text: UTF-8, a lone surrogate as U+FFFD (workerd would send its WTF-8 bytes)
  const body = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return send(DECIDE, new Request(`${EDGE}/v1/decide`, { method: 'POST', body, headers: { 'content-type': 'text/plain', ...headers }, cf } as RequestInit));
}

const describeBody = (body: string | Uint8Array) => (typeof body === 'string' ? `${body.length} chars: ${body.slice(0, 200)}` : `${body.length} bytes`);

// ── Generators of decide bodies ─────────────────────────────────────────────────

type Members = [string, string][];
const base = (): Members => [
  ['site', j(SITE)],
  ['url', j(page())],
];
const withMember = (members: Members, key: string, value: string): Members => [...members.filter(([k]) => k !== key), [key, value]];

const longString = (min: number, max: number, prefix = '') => fc.integer({ min, max }).map((n) => j(prefix + 'a'.repeat(n)));

/** For each field of DecideRequest, JSON text of values it must refuse. */
const BAD_FIELD: Record<string, fc.Arbitrary<string>> = {
  site: fc.oneof(wrongTypeText(5000), badId.map(j)),
  url: fc.oneof(
    wrongTypeText(5000),
    anyText(80).map(j),
    fc.constantFrom('', '//www.example.com/', 'http://', 'https://', '/pricing', 'www.example.com', 'http://[::1', 'https://a b.example/', 'https://x:99999/').map(j),
    longString(4097, 12_000, 'https://www.vendor.example/'),
  ),
  referrer: fc.oneof(wrongTypeText(5000), longString(4097, 12_000)),
  identity: fc.oneof(
    wrongTypeText(5000),
    fc.tuple(wrongTypeText(), fc.constantFrom('identify', 'link')).map(([d, s]) => obj([['domain', d], ['source', j(s)]])),
    fc.tuple(fc.domain(), fc.oneof(anyText(12), fc.constantFrom('IDENTIFY', 'email', 'ip', ''))).filter(([, s]) => s !== 'identify' && s !== 'link').map(([d, s]) => obj([['domain', j(d)], ['source', j(s)]])),
    fc.domain().map((d) => obj([['domain', j(d)]])),
    fc.constant(obj([['source', j('link')]])),
    longString(321, 2000).map((d) => obj([['domain', d], ['source', j('identify')]])),
    fc.tuple(protoKey, pollutionText).map(([k, v]) => obj([['domain', j('acme.com')], ['source', j('identify')], [k, v]])),
  ),
  visitor: fc.oneof(
    wrongTypeText(5000),
    fc.constantFrom('', 'short', 'a'.repeat(65), 'has space1', '<script>', 'visitor/123', 'ümlaut123', 'visitor-1\n').map(j),
    anyText(70).map(j),
  ),
  preview: fc.oneof(wrongTypeText(5000), longString(2049, 10_000)),
};

const badFieldBody = fc
  .tuple(fc.constantFrom(...Object.keys(BAD_FIELD)), fc.boolean())
  .chain(([field, withOthers]) =>
    BAD_FIELD[field]!.map((value) => {
      const others: Members = withOthers ? [['referrer', j('https://news.example/')], ['visitor', j('visitor-abc123')]] : [];
      return obj(withMember([...base(), ...others.filter(([k]) => k !== field)], field, value));
    }),
  )
  .filter((text) => !accepts(DecideRequest, text));

const KNOWN_FIELDS = new Set(Object.keys(DecideRequest.shape));
const extraKeyBody = fc
  .tuple(
    fc.oneof(protoKey, anyText(20).filter((k) => !KNOWN_FIELDS.has(k))),
    fc.oneof(pollutionText, wrongTypeText(), fc.jsonValue({ maxDepth: 3 }).map(j)),
    fc.constantFrom('top', 'identity'),
  )
  .map(([key, value, where]) =>
    where === 'top' ? obj([...base(), [key, value]]) : obj([...base(), ['identity', obj([['domain', j('acme.com')], ['source', j('identify')], [key, value]])]]),
  )
  .filter((text) => !accepts(DecideRequest, text));

const validBody = fc
  .record({ referrer: fc.option(fc.webUrl(), { nil: undefined }), visitor: fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), { nil: undefined }) })
  .map((extra) => JSON.stringify({ site: SITE, url: page(), ...extra }));

const malformedBody = fc
  .oneof(
    // every proper prefix of a JSON object is invalid JSON
    fc.tuple(validBody, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })).map(([t, at]) => t.slice(0, Math.floor(at * t.length))),
    fc.tuple(validBody, fc.constantFrom('}', ',', ']', 'x', '{', '\u0000', ',"a":1}', '"', 'null')).map(([t, junk]) => t + junk),
    fc.constantFrom(
      `{'site':'${SITE}','url':'${page()}'}`,
      `{site:"${SITE}",url:"${page()}"}`,
      `{"site":"${SITE}","url":"${page()}",}`,
      `{"site":"${SITE}" /* comment */,"url":"${page()}"}`,
      `{"site":NaN,"url":"${page()}"}`,
      `{"site":"${SITE}","url":"${page()}"}{"site":"${SITE}"}`,
      '',
      ' ',
      '\ufeff',
    ),
    anyText(200),
  )
  .filter((text) => !accepts(DecideRequest, text));

const notObjectBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)).map(j),
  deepText(8000),
);

// ── POST /v1/decide ─────────────────────────────────────────────────────────────

describe('POST /v1/decide refuses generated bad input with a 4xx JSON error and writes nothing', () => {
  it('answers 400 (413 when oversized) to a wrong type, bad id, bad URL or oversized value in any field', async () => {
    await fc.assert(
      fc.asyncProperty(badFieldBody, async (body) => {
        await expectJsonError(await decide(body), describeBody(body), sized(body, MAX_BODY, [400]));
      }),
      runs(1200),
    );
    await expectUnchanged();
  });

  it('answers 400 to unknown keys, __proto__ / constructor / prototype included, at the top and inside identity', async () => {
    await fc.assert(
      fc.asyncProperty(extraKeyBody, async (body) => {
        await expectJsonError(await decide(body), describeBody(body), sized(body, MAX_BODY, [400]));
      }),
      runs(500),
    );
    await expectUnchanged();
  });

  it('answers 400 to malformed JSON: truncated, trailing junk, JSON5-isms, random text', async () => {
    await fc.assert(
      fc.asyncProperty(malformedBody, async (body) => {
        await expectJsonError(await decide(body), describeBody(body), [400]);
      }),
      runs(500),
    );
    await expectUnchanged();
  });

  it('answers 400 to JSON that is not an object, nested up to 8,000 deep (413 past 16 KB)', async () => {
    await fc.assert(
      fc.asyncProperty(notObjectBody, async (body) => {
        await expectJsonError(await decide(body), describeBody(body), sized(body, MAX_BODY, [400]));
      }),
      runs(300),
    );
    await expectUnchanged();
  });

  it('answers 400 to a body with invalid UTF-8 bytes anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(withInvalidUtf8(fc.oneof(validBody, malformedBody)), async (bytes) => {
        const error = await expectJsonError(await decide(bytes), describeBody(bytes), [400]);
        expect(error.issues?.[0]?.path).toBe('(body)');
      }),
      runs(300),
    );
    await expectUnchanged();
  });

  it('answers 413 to a body over 16 KB, whether its length is declared or it is streamed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: MAX_BODY + 1, max: 300_000 }), fc.boolean(), fc.integer({ min: 1, max: 20 }), async (size, streamed, chunks) => {
        const text = JSON.stringify({ site: SITE, url: page(), referrer: 'r'.repeat(size) });
        let body: string | ReadableStream = text;
        if (streamed) {
          const bytes = new TextEncoder().encode(text);
          const step = Math.ceil(bytes.length / chunks);
          body = new ReadableStream({
            start(controller) {
              for (let i = 0; i < bytes.length; i += step) controller.enqueue(bytes.slice(i, i + step));
              controller.close();
            },
          });
        }
        await expectJsonError(await decide(body), `${text.length} chars, streamed ${streamed}`, [413]);
      }),
      runs(150),
    );
    await expectUnchanged();
  });

  it('answers 403 to a valid request from a browser origin the site does not allow, without CORS headers', async () => {
    await fc.assert(
      fc.asyncProperty(foreignOrigin(ALLOWED), validBody, async (origin, body) => {
        const res = await decide(body, { origin });
        expect(res.headers.get('access-control-allow-origin'), origin).toBeNull();
        await expectJsonError(res, `origin ${origin}`, [403]);
      }),
      runs(300),
    );
    await expectUnchanged();
  });

  it('answers 404 to a well-formed request for a site that does not exist', async () => {
    const unknownSite = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,50}$/).map((s) => `nosite-${s}`);
    await fc.assert(
      fc.asyncProperty(unknownSite, async (site) => {
        const error = await expectJsonError(await decide(JSON.stringify({ site, url: page() })), site, [404]);
        expect(error.issues?.[0]?.path).toBe('site');
      }),
      runs(300),
    );
    await expectUnchanged();
  });
});

describe('POST /v1/decide tolerates garbage in the signals it cannot validate', () => {
  /** Identity, link parameter, referrer, preview token, client IP and network name are free-form: garbage there is the page as written, never an error. */
  it('answers 200 with a well-formed decision (never a preview) to garbage identities, link parameters, IPs, network names and preview tokens', async () => {
    const printable = (max: number) => fc.string({ unit: 'grapheme-ascii', maxLength: max }).map((s) => s.trim());
    // signed links truncated, with a character changed, with parts added or dropped, or re-signed with another key
    const real = await signed('bank.example');
    const forged = await signLink('guessed-key', SITE, { domain: 'bank.example', exp: Math.floor(Date.now() / 1000) + 3600 });
    const badLink = fc.oneof(
      fc.integer({ min: 1, max: real.length - 1 }).map((n) => real.slice(0, n)),
      fc.tuple(fc.integer({ min: 0, max: real.length - 1 }), fc.constantFrom(...'abcz27~.-_')).map(([i, ch]) => real.slice(0, i) + ch + real.slice(i + 1)),
      fc.array(fc.oneof(anyText(20), fc.constantFrom('', 'bank.example', real.split('~')[3]!)), { minLength: 2, maxLength: 6 }).map((parts) => parts.join('~')),
      fc.constant(forged),
      fc.constant(`${real}~${real}`),
    );
    const garbage = fc.record({
      identity: fc.option(fc.record({ domain: fc.oneof(anyText(320), badLink), source: fc.constantFrom('identify' as const, 'link' as const) }), { nil: undefined }),
      link: fc.option(fc.oneof(anyText(100), rawSegment, badLink), { nil: undefined }),
      utm: fc.option(anyText(300), { nil: undefined }),
      referrer: fc.option(fc.oneof(anyText(200), fc.webUrl()), { nil: undefined }),
      preview: fc.option(fc.oneof(anyText(300), fc.base64String({ maxLength: 200 }).map((s) => `${s}.${s}`)), { nil: undefined }),
      ip: fc.option(fc.oneof(printable(70), fc.ipV4(), fc.ipV6(), fc.ipV4Extended()), { nil: undefined }),
      organisation: fc.option(anyText(120), { nil: undefined }),
      country: fc.option(anyText(4), { nil: undefined }),
      privacy: fc.option(fc.constantFrom('1', '0', ' 1 ', 'yes'), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(garbage, async (g) => {
        const url = new URL(page());
        if (g.link !== undefined) url.searchParams.set('pz_account', g.link);
        if (g.utm !== undefined) url.searchParams.set('utm_campaign', g.utm);
        const body = JSON.stringify({ site: SITE, url: url.toString(), identity: g.identity, referrer: g.referrer, preview: g.preview, visitor: 'visitor-abc123' });
        const headers: Record<string, string> = {};
        if (g.ip) headers['cf-connecting-ip'] = g.ip;
        if (g.privacy) headers['sec-gpc'] = g.privacy;
        const res = await decide(body, headers, { asOrganization: g.organisation, country: g.country });
        const text = await res.text();
        expect(res.status, `${body.slice(0, 300)} → ${text.slice(0, 300)}`).toBe(200);
        const decision = DecideResponse.parse(JSON.parse(text));
        expect(decision.preview).toBeUndefined();
        expect(decision.site).toBe(SITE);
      }),
      runs(500),
    );
    await expectUnchanged();
  });
});

// ── OPTIONS /v1/decide and preflights elsewhere ─────────────────────────────────

describe('CORS preflights from foreign origins are refused on public routes', () => {
  it('OPTIONS /v1/decide answers 403 JSON without any Access-Control-Allow-* header unless the site allows the origin', async () => {
    const siteParam = fc.option(
      fc.oneof(
        { weight: 2, arbitrary: fc.constant(`site=${SITE}`) },
        { weight: 2, arbitrary: badId.map((s) => `site=${segment(s)}`) },
        { weight: 1, arbitrary: rawSegment.map((s) => `site=${s}`) },
        { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9]{1,20}$/).map((s) => `site=nosite-${s}`) },
        { weight: 1, arbitrary: fc.constant(`site=&site=${SITE}`) },
      ),
      { nil: undefined },
    );
    const origin = fc.option(fc.oneof(foreignOrigin(ALLOWED), fc.constant(ALLOWED_ORIGIN)), { nil: undefined });
    const method = fc.option(fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'post'), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(siteParam, origin, method, fc.boolean(), async (query, from, requestMethod, withHeaders) => {
        // the one preflight that must succeed (tested in decide-bad-input.test.ts): the site itself, from an origin it allows
        fc.pre(!(query === `site=${SITE}` && from === ALLOWED_ORIGIN));
        const headers: Record<string, string> = {};
        if (from !== undefined) headers.origin = from;
        if (requestMethod !== undefined) headers['access-control-request-method'] = requestMethod;
        if (withHeaders) headers['access-control-request-headers'] = 'content-type, authorization';
        const res = await send('OPTIONS /v1/decide', new Request(`${EDGE}/v1/decide${query ? `?${query}` : ''}`, { method: 'OPTIONS', headers }));
        const what = `?${query} from ${from}`;
        for (const h of ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers']) expect(res.headers.get(h), `${what}: ${h}`).toBeNull();
        await expectJsonError(res, what, [403]);
      }),
      runs(600),
    );
    await expectUnchanged();
  });

  it('OPTIONS on the other public paths answers 404 JSON without any Access-Control-Allow-* header', async () => {
    const path = fc.constantFrom('/p.js', `/p.js?v=${SNIPPET_VERSION}`, '/health', '/demo', '/', '/admin', '/v1/decide/', '/demo/logos/x.svg');
    await fc.assert(
      fc.asyncProperty(path, foreignOrigin(ALLOWED), fc.constantFrom('GET', 'POST', 'PUT'), async (p, origin, requestMethod) => {
        const res = await send(`OPTIONS ${p.split('?')[0]}`, new Request(`${EDGE}${p}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': requestMethod } }));
        for (const h of ['access-control-allow-origin', 'access-control-allow-methods']) expect(res.headers.get(h), `${p} from ${origin}: ${h}`).toBeNull();
        await expectJsonError(res, `OPTIONS ${p} from ${origin}`, [404]);
      }),
      runs(300),
    );
  });
});

// ── GET /p.js ───────────────────────────────────────────────────────────────────

describe('GET /p.js serves the snippet whatever the query string and headers', () => {
  it('answers 200 with the snippet, cached for 5 minutes only, to garbage query strings and If-None-Match values', async () => {
    const param = fc.oneof(anyText(30).map(segment), rawSegment, fc.constantFrom('v', 'v[]', '__proto__', 'constructor', ''));
    const query = fc.array(fc.tuple(param, fc.option(fc.oneof(anyText(40).map(segment), rawSegment, hugeText.map((s) => segment(s.slice(0, 3000)))), { nil: undefined })), { maxLength: 6 });
    const etag = fc.option(fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 60 }), fc.constantFrom('*', `W/"${SNIPPET_VERSION}"`, SNIPPET_VERSION, `"${SNIPPET_VERSION}x"`)), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(query, etag, async (pairs, ifNoneMatch) => {
        const qs = pairs.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join('&');
        const url = `${EDGE}/p.js${qs ? `?${qs}` : ''}`;
        fc.pre(new URL(url).searchParams.get('v') !== SNIPPET_VERSION && ifNoneMatch?.trim() !== `"${SNIPPET_VERSION}"`);
        const res = await send('GET /p.js', new Request(url, { headers: ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch } }));
        expect(res.status, url).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
        expect(res.headers.get('cache-control'), url).not.toContain('immutable');
        expect(await res.text()).toBe(SNIPPET);
      }),
      runs(500),
    );
  });
});

// ── Wrong methods and paths ─────────────────────────────────────────────────────

describe('wrong methods and unknown paths next to the public routes', () => {
  it('answer 404 JSON, whatever the body', async () => {
    const route = fc.oneof(
      fc.tuple(fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH'), fc.constant('/v1/decide')),
      fc.tuple(fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH'), fc.constantFrom('/p.js', '/health')),
      fc.tuple(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
        fc.tuple(fc.constantFrom('/v1/decide/', '/p.js/', '/v0/', '/api/'), fc.oneof(anyText(30).map(segment), rawSegment)).map(([prefix, rest]) => prefix + rest),
      ),
    );
    await fc.assert(
      fc.asyncProperty(route, fc.option(fc.oneof(validBody, malformedBody), { nil: undefined }), async ([method, path], body) => {
        const url = `${EDGE}${path}`;
        const { pathname } = new URL(url);
        // a dot segment (`/api/%2e%2e`) normalises to another, real route: not a wrong path
        fc.pre(['/v1/decide', '/p.js', '/health', '/v0/', '/api/'].some((p) => pathname.startsWith(p)) && !pathname.startsWith('/api/admin'));
        const res = await send(`${method} (wrong method or path)`, new Request(url, { method, body: method === 'GET' ? undefined : body }));
        await expectJsonError(res, `${method} ${path}`, [404]);
      }),
      runs(400),
    );
    await expectUnchanged();
  });
});
