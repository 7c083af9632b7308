// CPU per decision, in Node (V8, the engine workerd runs), on the project's own code loaded with importTs:
//   pure:  pickSegment + selectChanges over the 8-segment bench config and synthetic accounts
//   route: what the Worker computes for one POST /v1/decide besides I/O: JSON.parse of the body,
//          DecideRequest validation, decide() (account/bucket records parsed and validated, segment,
//          variants rendered) against an in-memory KV, and JSON.stringify of the answer.
// workerd under wrangler dev reports no per-request CPU time (that is production-only, in the
// dashboard / Workers Logs); bench/latency.mjs samples the workerd processes' CPU instead.
import { importBenchTs } from './ts.mjs';
import { SITE, benchConfig, makeAccounts } from './seed-large.mjs';
import { requestMix } from './latency.mjs';
import { BENCH_LINK_SECRET } from './worker.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median over `batches` of the µs per call of `fn(i)`, after a warm-up batch. */
async function timePerCall(fn, n, batches) {
  for (let i = 0; i < n; i++) await fn(i);
  const per = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn(i);
    per.push(((performance.now() - t0) * 1000) / n);
  }
  return { us: median(per), min: Math.min(...per), max: Math.max(...per), n, batches };
}

function timeSync(fn, n, batches) {
  for (let i = 0; i < n; i++) fn(i);
  const per = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn(i);
    per.push(((performance.now() - t0) * 1000) / n);
  }
  return { us: median(per), min: Math.min(...per), max: Math.max(...per), n, batches };
}

export async function measureCpu({ quick = false } = {}) {
  const lib = await importBenchTs('bench/shared.ts');
  const config = benchConfig(lib);
  const ACCOUNTS = 2000;
  const RANGES = 20000;
  const accounts = makeAccounts(ACCOUNTS, RANGES).map((a) => lib.Account.parse(a));
  const visits = [
    lib.visitContext(new URL('https://www.bench.example/pricing?utm_source=email'), undefined, 'US'),
    lib.visitContext(new URL('https://www.bench.example/?utm_campaign=q4-webinar'), 'https://news.example/', 'GB'),
    lib.visitContext(new URL('https://www.bench.example/blog/post'), 'https://www.google.com/', 'DE'),
  ];
  let matched = 0;
  const pureN = quick ? 20000 : 100000;
  const pure = timeSync(
    (i) => {
      const input = { account: accounts[i % ACCOUNTS], visit: visits[i % 3] };
      const segment = lib.pickSegment(config.segments, input);
      if (segment) {
        matched++;
        lib.selectChanges(config, segment, input);
      }
    },
    pureN,
    quick ? 3 : 7,
  );
  pure.matchedShare = matched / (pureN * ((quick ? 3 : 7) + 1));

  // The route's compute against an in-memory KV holding the same entries the Worker reads.
  const { entries } = lib.buildKvEntries(SITE, config, makeAccounts(ACCOUNTS, RANGES));
  const store = new Map(entries.map((e) => [e.key, e.value]));
  const kv = { get: (key) => Promise.resolve(store.get(key) ?? null) };
  const mix = await requestMix(ACCOUNTS, RANGES, 300);
  const route = async (r) => {
    const parsed = lib.DecideRequest.safeParse(JSON.parse(r.body));
    if (!parsed.success) throw new Error('invalid bench request');
    const outcome = await lib.decideRequest({ KV: kv, LINK_SECRET: BENCH_LINK_SECRET }, parsed.data, { ip: r.headers['cf-connecting-ip'] ?? null });
    if (outcome.status !== 'ok' || (r.kind !== outcome.body.method)) throw new Error(`unexpected outcome ${JSON.stringify(outcome).slice(0, 200)}`);
    return JSON.stringify(outcome.body);
  };
  const routeN = quick ? 6000 : 30000;
  const byKind = {};
  for (const kind of ['link', 'ip', 'none']) {
    const subset = mix.filter((r) => r.kind === kind);
    byKind[kind] = await timePerCall((i) => route(subset[i % subset.length]), Math.round(routeN / 3), quick ? 3 : 5);
  }
  const routeAll = await timePerCall((i) => route(mix[i % mix.length]), routeN, quick ? 3 : 5);
  return { node: process.version, accounts: ACCOUNTS, ranges: RANGES, segments: config.segments.length, pure, route: { ...routeAll, byKind } };
}
