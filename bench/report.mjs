// The markdown tables `npm run bench` prints (copy-paste ready for the README) and the budget verdicts.

/** decide/floor p50 budgets: every read going to KV, and every read a hit in the isolate cache; CPU per decision. */
export const P50_RATIO_BUDGET = 1.5;
export const CACHED_P50_RATIO_BUDGET = 1.2;
export const CPU_RATIO_BUDGET = 1.5;
/** Scale counts as flat when decide/floor p50 at every point is within this factor of the smallest point's. */
export const FLAT_TOLERANCE = 1.25;

const n = (x) => Math.round(x).toLocaleString('en');
const ms = (x) => (x == null || Number.isNaN(x) ? '—' : x < 10 ? `${x.toFixed(2)} ms` : `${x.toFixed(1)} ms`);
const us = (x) => (x == null ? '—' : x < 10 ? `${x.toFixed(1)} µs` : `${n(x)} µs`);
const r = (x) => (x == null || Number.isNaN(x) ? '—' : `${x.toFixed(2)}×`);
let quickRun = false;
const verdict = (met, exact = false) => (met ? '**met**' : '**not met**') + (quickRun && !exact ? ' (quick run: indicative only)' : '');
const noisy = (x) => (x?.noisy ? ' ⚠ noisy machine' : '');
const count = (x) => (x >= 1e6 ? `${x / 1e6}M` : x >= 1e3 ? `${x / 1e3}k` : String(x));

export function report(res) {
  quickRun = res.mode === 'quick';
  const rows = [];
  const budgets = {};
  const row = (...cells) => rows.push(`| ${cells.join(' | ')} |`);

  if (res.size) {
    const { ours, others, budget, met } = res.size;
    budgets.snippetGzip = { budget, value: ours.gzip, met };
    row('Snippet size, gzip (min)', `${n(ours.gzip)} B (${n(ours.min)} B)`, '—', '—', `≤ ${n(budget)} B gzip: ${verdict(met, true)}`);
    for (const o of others) row(`… vs ${o.name} ${o.version}`, `${n(ours.gzip)} B`, `${n(o.gzip)} B (${n(o.min)} B min)`, r(o.ratioGzip), '');
  }
  if (res.worker?.production) row('Worker bundle, production (`wrangler deploy --dry-run --env production`), gzip (raw)', `${n(res.worker.production.gzip)} B (${n(res.worker.production.bytes)} B)`, '—', '—', '');

  const L = res.latency?.loaded;
  if (L) {
    const c = L.connections;
    const setting = `${c} connections, ${count(res.params.main.accounts)} accounts, ${count(res.params.main.ranges)} IP ranges, behavioural rules on`;
    const rounds = (name) => L.ratio[name].p50PerRound.map((x) => r(x)).join(', ');
    if (L.decideUncached) {
      const met = L.ratio.decideUncached.p50 <= P50_RATIO_BUDGET;
      budgets.decideP50Ratio = { budget: P50_RATIO_BUDGET, value: L.ratio.decideUncached.p50, perRound: L.ratio.decideUncached.p50PerRound, met };
      row(`Decide p50, every read from KV (${setting})`, ms(L.decideUncached.p50), `floor ${ms(L.floor.p50)}`, r(L.ratio.decideUncached.p50), `≤ ${P50_RATIO_BUDGET}×: ${verdict(met)}${noisy(L)} (rounds: ${rounds('decideUncached')})`);
    }
    const hitsMet = L.ratio.decide.p50 <= CACHED_P50_RATIO_BUDGET;
    budgets.decideCachedP50Ratio = { budget: CACHED_P50_RATIO_BUDGET, value: L.ratio.decide.p50, perRound: L.ratio.decide.p50PerRound, met: hitsMet };
    row(`Decide p50, isolate cache hits (${setting})`, ms(L.decide.p50), `floor ${ms(L.floor.p50)}`, r(L.ratio.decide.p50), `≤ ${CACHED_P50_RATIO_BUDGET}×: ${verdict(hitsMet)}${noisy(L)} (rounds: ${rounds('decide')})`);
    row(`Decide p99, ${c} connections, cache hits / every read from KV`, `${ms(L.decide.p99)} / ${ms(L.decideUncached?.p99)}`, `floor ${ms(L.floor.p99)}`, r(L.ratio.decide.p99), '');
    row(`Decide throughput, ${c} connections, cache hits`, `${n(L.decide.rps)} req/s`, `floor ${n(L.floor.rps)} req/s`, r(L.ratio.decide.rps), '');
    if (L.decideGpc) row(`Decide p50 with Sec-GPC: 1 (no activity read or recorded), cache hits`, ms(L.decideGpc.p50), `floor ${ms(L.floor.p50)}`, r(L.ratio.decideGpc.p50), '');
    if (L.floorKv) row(`Floor + one KV read, p50`, ms(L.floorKv.p50), `floor ${ms(L.floor.p50)}`, r(L.ratio.floorKv.p50), '');
    if (L.decide.cpuUsPerRequest && L.floor.cpuUsPerRequest) {
      const cpu = (name) => L[name]?.cpuUsPerRequest?.workerd;
      const ratio = (name) => cpu(name) / cpu('floor');
      const worst = Math.max(ratio('decide'), L.decideUncached?.cpuUsPerRequest ? ratio('decideUncached') : 0);
      const met = worst <= CPU_RATIO_BUDGET;
      budgets.cpuRatio = { budget: CPU_RATIO_BUDGET, cached: ratio('decide'), uncached: L.decideUncached?.cpuUsPerRequest ? ratio('decideUncached') : null, met };
      row(
        'workerd CPU per decision (process CPU ÷ requests)',
        `cache hits ${us(cpu('decide'))} (${r(ratio('decide'))})${cpu('decideUncached') ? `, every read from KV ${us(cpu('decideUncached'))} (${r(ratio('decideUncached'))})` : ''}${cpu('decideGpc') ? `, GPC ${us(cpu('decideGpc'))}` : ''}${cpu('floorKv') ? `, floor+KV ${us(cpu('floorKv'))}` : ''}`,
        `floor ${us(cpu('floor'))}`,
        r(worst),
        `≤ ${CPU_RATIO_BUDGET}× the floor's: ${verdict(met)}`,
      );
    }
  }
  const A = res.activity;
  if (A?.writes) {
    const { burst, paced } = A.writes;
    const within = burst.digestWrites <= burst.maxAllowed;
    budgets.digestWritesWithinKvLimit = { value: burst.digestWrites, limit: burst.maxAllowed, met: within };
    row(
      'Digest writes to KV per 1,000 page views (demo rules; 30 % of views on a counted page)',
      `${n(burst.perThousandViews)} (1,000 views of ${burst.accounts} accounts in ${burst.seconds.toFixed(1)} s)`,
      `paced a second apart: ${n(paced.perThousandViews)}`,
      '—',
      `≤ 1 write/s/key (KV): ${verdict(within, true)} (${burst.digestWrites} ≤ ${burst.maxAllowed})`,
    );
  }
  if (A?.read)
    row(
      `Behaviour read in workerd, an account with ${n(A.read.views)} views: digest from KV / isolate hit`,
      `${ms(A.read.digestKv.median)} / ${ms(A.read.digestIsolateHit.median)} (digest ${n(A.read.digestBytes)} B)`,
      `RPC to the activity object ${ms(A.read.rpcSummary.median)}`,
      r(A.read.digestKv.median / A.read.rpcSummary.median),
      'medians; workerd timers move on I/O only (1 ms steps)',
    );
  const S = res.latency?.single;
  if (S) {
    row('Decide p50, 1 connection (unloaded)', ms(S.decide.p50), `floor ${ms(S.floor.p50)}`, r(S.ratio.decide.p50), noisy(S).trim());
    if (S.decideGpc) row('Decide p50 with Sec-GPC: 1, 1 connection', ms(S.decideGpc.p50), `floor ${ms(S.floor.p50)}`, r(S.ratio.decideGpc.p50), '');
  }

  if (res.cpu) {
    row(`CPU per decision in Node ${res.cpu.node}: pickSegment + selectChanges (${res.cpu.segments} segments)`, us(res.cpu.pure.us), '—', '—', '');
    const k = res.cpu.route.byKind;
    row('CPU per request in Node: parse + validate + decide() on in-memory KV + stringify', us(res.cpu.route.us), `link ${us(k.link.us)}, IP ${us(k.ip.us)}, miss ${us(k.none.us)}`, '—', '');
  }

  const B = res.browser;
  if (B) {
    row(`Chromium: personalized headline, demo page from the Worker (median of ${B.snippetWorker.loads})`, ms(B.snippetWorker.personalizedMs), `FCP without snippet ${ms(B.noSnippet.fcpMs)}`, r(B.snippetWorker.personalizedMs / B.noSnippet.fcpMs), '');
    row('Chromium: personalized headline, same page on another origin (customer site)', ms(B.snippetSite.personalizedMs), `FCP without snippet ${ms(B.noSnippet.fcpMs)}`, r(B.snippetSite.personalizedMs / B.noSnippet.fcpMs), '');
    row('Chromium: first contentful paint with / without snippet', `${ms(B.snippetSite.fcpMs)} / ${ms(B.noSnippet.fcpMs)}`, `first paint ${ms(B.snippetSite.firstPaintMs)} / ${ms(B.noSnippet.firstPaintMs)}`, r(B.snippetSite.fcpMs / B.noSnippet.fcpMs), '');
  }

  const G = res.edge;
  if (G) {
    const added = G.edge.ttfbP95 - G.direct.ttfbP95;
    budgets.edgeAddedP95 = { goalMs: 10, addedTtfbMs: added, met: added <= 10 };
    row(
      `Edge mode: ${n(G.direct.bytes)} B page, ${G.rounds} interleaved fetches each, TTFB p50 / p95`,
      `personalized ${ms(G.edge.ttfbP50)} / ${ms(G.edge.ttfbP95)}; no segment ${ms(G.anonymous.ttfbP50)} / ${ms(G.anonymous.ttfbP95)}`,
      `origin direct ${ms(G.direct.ttfbP50)} / ${ms(G.direct.ttfbP95)}; full load p95 ${ms(G.edge.totalP95)} vs ${ms(G.direct.totalP95)}`,
      '—',
      `added at p95 ≤ 10 ms: ${verdict(added <= 10)} (+${ms(added)})`,
    );
  }

  const N = res.enrichment;
  if (N) {
    row(
      `Enrichment: ${n(N.views)} page views from ${n(N.distinctAddresses)} addresses, a provider answering in ${N.providerMs} ms`,
      `${n(N.callsPer1000Views)} provider calls per 1,000 page views (${n(N.callsPer1000ViewsWithAsnGate)} with the ASN gate; 1,000 without the cache)`,
      `decision p50 / p95: provider asked ${ms(N.miss.p50)} / ${ms(N.miss.p95)}; cached ${ms(N.hit.p50)} / ${ms(N.hit.p95)}`,
      r(N.hit.p50 / N.miss.p50),
      '',
    );
  }

  const E = res.events;
  if (E) {
    budgets.eventsLossless = { value: `${E.counted} of ${E.events} counted`, met: E.lossless };
    row(
      `Events: ${n(E.events)} in batches of 100, 16 in flight → queue → D1 → report`,
      `${n(E.acceptedPerSecond)} events/s accepted; end to end ${n(E.endToEndPerSecond)} events/s`,
      `all counted ${E.countedAfterSeconds.toFixed(1)} s after the last was sent; report query ${ms(E.reportMs)}`,
      '—',
      `count in = count in report: ${verdict(E.lossless, true)} (${n(E.counted)} of ${n(E.events)}); workerd CPU ${us(E.workerdCpuMicrosPerEvent)}/event`,
    );
  }

  // Scale curve: every point measured the same way, each on a freshly seeded Worker.
  const points = (res.scale ?? []).map((p) =>
    p.decide ? { accounts: p.accounts, ranges: p.ranges, floor: p.floor, decide: p.decide, ratio: p.ratio.decide, entries: p.seed?.entries, noisy: p.noisy } : p,
  );
  const measured = points.filter((p) => p.decide);
  let scaleRows = [];
  if (res.scale && measured.length) {
    const base = measured[0].ratio.p50;
    const worst = Math.max(...measured.map((p) => p.ratio.p50 / base));
    const flat = worst <= FLAT_TOLERANCE;
    budgets.scaleFlat = { tolerance: FLAT_TOLERANCE, worstRelativeRatio: worst, points: measured.length, met: flat, complete: measured.length === points.length };
    row(
      `Scale: decide p50, ${measured.map((p) => `${count(p.accounts)}/${count(p.ranges)}`).join(', ')} accounts/IP ranges`,
      measured.map((p) => ms(p.decide.p50)).join(' → '),
      `decide/floor ${measured.map((p) => r(p.ratio.p50)).join(' → ')}`,
      r(worst),
      `flat (≤ ${FLAT_TOLERANCE}× the smallest point's ratio): ${verdict(flat)}`,
    );
    scaleRows = [
      '| Accounts | IP ranges | KV entries | decide p50 | decide p99 | decide req/s | floor p50 | decide/floor p50 |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...points.map((p) =>
        p.decide
          ? `| ${n(p.accounts)} | ${n(p.ranges)} | ${p.entries ? n(p.entries) : '—'} | ${ms(p.decide.p50)} | ${ms(p.decide.p99)} | ${n(p.decide.rps)} | ${ms(p.floor.p50)} | ${r(p.ratio.p50)}${noisy(p)} |`
          : `| ${n(p.accounts)} | ${n(p.ranges)} | — | ${p.skipped ? `skipped: ${p.skipped}` : `failed: ${String(p.error).split('\n')[0].slice(0, 120)}`} | | | | |`,
      ),
    ];
  }

  const noise = [L, S, ...(res.scale ?? [])].filter((x) => x?.floor?.foreignCoresMax !== undefined).flatMap((x) => x.targets.map((t) => x[t].foreignCoresMax));
  const machine = `${res.machine.cpus} × ${res.machine.model ?? 'CPU'}, Node ${res.versions.node}, wrangler ${res.versions.wrangler} (workerd via \`wrangler dev\`, local KV${res.storage ? ` on ${res.storage}` : ''}), ${res.versions.chromium ?? 'Chromium'}`;
  const markdown = [
    `Benchmarks (\`npm run bench${res.mode === 'quick' ? ' -- --quick' : ''}\`, ${res.date.slice(0, 10)}, ${machine}; git ${res.git.head}${res.git.dirty ? ' + uncommitted changes' : ''}). Ratios are against a baseline measured in the same run.`,
    '',
    '| Measure | Result | Baseline (same run) | Ratio | Budget |',
    '|---|---:|---:|---:|---|',
    ...rows,
    ...(scaleRows.length ? ['', ...scaleRows] : []),
    '',
    'Floor: `POST /bench/floor` on the same Worker with the same bodies and connections (reads the body, answers a constant JSON). ' +
      'Load mix: ⅓ signed `pz_account` link hits (verified), ⅓ `cf-connecting-ip` hits in imported ranges, ⅓ anonymous misses, on the demo config (its segments, behavioural ones included) as site `bench`. ' +
      'KV is seeded with `buildKvEntries`; beyond 5,000 entries only the first 1,000 go through `wrangler kv bulk put` (locally ~4.5 ms per entry) and the rest are written straight into the same local store (miniflare\'s SQLite rows + blob files); every point checks sampled hits through the Worker first. ' +
      'workerd reports no per-request CPU time locally (that is production-only); the workerd row is the CPU of `wrangler dev`\'s workerd processes (dev proxy, Worker, local KV and Durable Object simulation) ÷ requests.',
    ...(noise.length ? ['', `Noise: other processes on the machine used up to ${Math.max(...noise).toFixed(2)} of ${res.machine.cpus} cores during the runs used.`] : []),
  ].join('\n');
  return { markdown, budgets };
}
