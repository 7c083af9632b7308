// Decision latency and throughput: autocannon against POST /v1/decide and the floor (POST
// /bench/floor, same bodies, no decision), interleaved floor/decide/floor/decide so drift on a
// noisy machine hits both alike. Latencies are recorded per response from autocannon's `response`
// event in fractional ms (its own histogram rounds to whole ms, too coarse for a ratio at ~ms).
import autocannon from 'autocannon';
import { SITE, sampleHits } from './seed-large.mjs';
import { importBenchTs } from './ts.mjs';
import { BENCH_LINK_SECRET, cpuDelta, machineBusy } from './worker.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// the customer's page and its Origin, both allowed by the bench config (only such page views are recorded)
const PAGE = 'http://localhost:3000';
const ORIGIN = 'http://localhost:3000'; // a customer's site: allowed by the bench config (http://localhost:*)

/**
 * The load mix, in thirds: ABM link parameter hits, IP-range hits (`cf-connecting-ip` inside an
 * imported range) and anonymous misses (an address in no imported range, no link, no identity).
 */
export async function requestMix(accounts, ranges, n = 300) {
  const hits = sampleHits(accounts, ranges, n);
  const { signLink } = await importBenchTs('shared/links/signed-link.ts');
  const exp = Math.floor(Date.now() / 1000) + 86_400;
  const out = [];
  for (let k = 0; k < n; k++) {
    const kind = ['link', 'ip', 'none'][k % 3];
    const visitor = `bench${String(k).padStart(6, '0')}`;
    const headers = { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN };
    let body;
    if (kind === 'link') {
      // a signed ABM link, as the admin makes them (an unsigned one is only a claim)
      const link = await signLink(BENCH_LINK_SECRET, SITE, { domain: hits.link[k], exp });
      body = { site: SITE, url: `${PAGE}/pricing?utm_source=email&pz_account=${link}`, visitor };
    } else if (kind === 'ip') {
      body = { site: SITE, url: `${PAGE}/`, referrer: 'https://www.google.com/', visitor };
      headers['cf-connecting-ip'] = hits.ip[k];
    } else {
      body = { site: SITE, url: `${PAGE}/blog/post-${k}`, referrer: 'https://news.example/', visitor };
      headers['cf-connecting-ip'] = `9.${k % 200}.${(k * 7) % 256}.${(k * 13) % 256}`;
    }
    out.push({ kind, method: 'POST', headers, body: JSON.stringify(body) });
  }
  return out;
}

/** Sends each request once and checks the answers: link and IP hits resolve, misses do not. */
export async function verifyMix(origin, mix, sample = 60) {
  const seen = { link: 0, ip: 0, none: 0 };
  const segments = {};
  const behaviour = {};
  for (const r of mix.slice(0, sample)) {
    const res = await fetch(`${origin}/v1/decide`, { method: 'POST', headers: r.headers, body: r.body });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`decide answered ${res.status} for ${r.body}: ${text.slice(0, 300)}`);
    const d = JSON.parse(text);
    if (d.method !== r.kind || (r.kind !== 'none') !== (d.account !== null))
      throw new Error(`expected a ${r.kind} decision for ${r.body} (${r.headers['cf-connecting-ip'] ?? 'no ip'}), got ${text.slice(0, 300)}`);
    seen[r.kind]++;
    segments[d.segment?.id ?? 'none'] = (segments[d.segment?.id ?? 'none'] ?? 0) + 1;
    behaviour[d.behaviour ?? '-'] = (behaviour[d.behaviour ?? '-'] ?? 0) + 1;
  }
  const floor = await fetch(`${origin}/bench/floor`, { method: 'POST', headers: mix[0].headers, body: mix[0].body });
  if (floor.status !== 200) throw new Error(`POST /bench/floor answered ${floor.status}: is floorRoutes mounted?`);
  await floor.text();
  return { checked: seen, segments, behaviour };
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/**
 * Waits until the Worker's processes are idle (work left over from the previous run, such as
 * waitUntil() writes, would otherwise land in the next one). Returns the ms waited, -1 if never idle.
 */
export async function settle(cpu, { idleShare = 0.1, windowMs = 250, maxMs = 15_000 } = {}) {
  const t0 = performance.now();
  let prev = cpu();
  for (;;) {
    await sleep(windowMs);
    const now = cpu();
    const busy = cpuDelta(prev, now).workerd / (windowMs / 1000);
    prev = now;
    if (busy < idleShare) return Math.round(performance.now() - t0);
    if (performance.now() - t0 > maxMs) return -1;
  }
}

/**
 * One autocannon run; with `cpu` (samples the Worker's process-group CPU) it first waits for the
 * Worker to be idle, and reports the Worker's CPU per request and the CPU everything else on the
 * machine used meanwhile (other people's processes: noise).
 */
export async function runOnce(origin, path, mix, { connections, duration, cpu }) {
  const latencies = [];
  let non2xx = 0;
  const requests = mix.map(({ method, headers, body }) => ({ method, path, headers, body }));
  const settleMs = cpu ? await settle(cpu) : undefined;
  const before = cpu?.();
  const busyBefore = machineBusy();
  const selfBefore = process.cpuUsage();
  const t0 = performance.now();
  const instance = autocannon({ url: origin, connections, duration, requests, timeout: 10 });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    else non2xx++;
  });
  const result = await instance;
  const seconds = (performance.now() - t0) / 1000;
  const after = cpu?.();
  const busy = machineBusy() - busyBefore;
  const self = process.cpuUsage(selfBefore);
  latencies.sort((a, b) => a - b);
  const stats = {
    path,
    requests: latencies.length,
    non2xx,
    errors: result.errors + result.timeouts,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((s, x) => s + x, 0) / (latencies.length || 1),
    latencies,
  };
  if (before && after) {
    const delta = cpuDelta(before, after);
    const n = latencies.length + non2xx || 1;
    stats.restarted = delta.restarted;
    stats.settleMs = settleMs;
    // CPU (in cores) used by processes other than the Worker and this load generator: other people's work.
    stats.foreignCores = Math.max(0, busy - delta.workerd - delta.other - (self.user + self.system) / 1e6) / seconds;
    stats.loadgenCores = (self.user + self.system) / 1e6 / seconds;
    if (!delta.restarted) stats.cpuUsPerRequest = { workerd: (delta.workerd / n) * 1e6, all: ((delta.workerd + delta.other) / n) * 1e6 };
  }
  return stats;
}

function merge(runs) {
  const all = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  const out = {
    requests: all.length,
    non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    rps: all.length / seconds,
    p50: percentile(all, 50),
    p90: percentile(all, 90),
    p99: percentile(all, 99),
    rounds: runs.map((r) => ({ p50: r.p50, p99: r.p99, rps: r.rps, settleMs: r.settleMs, foreignCores: r.foreignCores, loadgenCores: r.loadgenCores })),
  };
  if (runs.some((r) => r.restarted)) out.restarted = true;
  if (runs.every((r) => r.foreignCores !== undefined)) out.foreignCoresMax = Math.max(...runs.map((r) => r.foreignCores));
  if (runs.every((r) => r.cpuUsPerRequest)) {
    const n = runs.reduce((s, r) => s + r.requests + r.non2xx, 0);
    out.cpuUsPerRequest = {
      workerd: runs.reduce((s, r) => s + r.cpuUsPerRequest.workerd * (r.requests + r.non2xx), 0) / n,
      all: runs.reduce((s, r) => s + r.cpuUsPerRequest.all * (r.requests + r.non2xx), 0) / n,
    };
  }
  return out;
}

/** The mix as sent by a browser with Global Privacy Control on (`Sec-GPC: 1`): no activity read or recorded. */
export const withGpc = (mix) => mix.map((r) => ({ ...r, headers: { ...r.headers, 'sec-gpc': '1' } }));

/** A round counts as clean when other people's processes used at most this many cores during each of its runs. */
export const NOISY_CORES = 0.35;

/**
 * Warm-up, then rounds of every target in turn (floor first), same connections and duration, until
 * `rounds` clean rounds (see NOISY_CORES) or `rounds + extraRounds` rounds in all; the clean rounds
 * are used when there are enough, else all of them (flagged `noisy`).
 * `targets`: [{ name, path, mix }]; must include `floor`. Returns merged stats per target and the
 * ratios to the floor (overall and per round).
 */
export async function compare(origin, targets, { connections, duration, rounds, extraRounds = 0, warmup = 2, cpu, log = () => {} }) {
  for (const t of targets) await runOnce(origin, t.path, t.mix, { connections, duration: warmup });
  const all = [];
  for (let r = 0; r < rounds + extraRounds && all.filter((x) => x.clean).length < rounds; r++) {
    const round = {};
    for (const t of targets) round[t.name] = await runOnce(origin, t.path, t.mix, { connections, duration, cpu });
    const foreign = cpu ? Math.max(...targets.map((t) => round[t.name].foreignCores)) : 0;
    all.push({ runs: round, clean: foreign <= NOISY_CORES, foreign });
    log(`    round ${r + 1}, ${connections} connection(s): ` + targets.map((t) => `${t.name} p50 ${round[t.name].p50.toFixed(2)} ms ${Math.round(round[t.name].rps)}/s`).join(' · ') + (cpu ? ` (others' CPU ≤ ${foreign.toFixed(2)} cores${foreign > NOISY_CORES ? ': noisy' : ''})` : ''));
  }
  const clean = all.filter((x) => x.clean);
  const used = clean.length >= rounds ? clean : all;
  const runs = Object.fromEntries(targets.map((t) => [t.name, used.map((x) => x.runs[t.name])]));
  const out = { connections, duration, rounds: used.length, roundsRun: all.length, noisy: used !== clean, targets: targets.map((t) => t.name) };
  for (const t of targets) {
    out[t.name] = merge(runs[t.name]);
    if (out[t.name].non2xx || out[t.name].errors) throw new Error(`${t.name}: ${out[t.name].non2xx} non-2xx answers and ${out[t.name].errors} errors under load`);
  }
  out.ratio = {};
  for (const t of targets) {
    if (t.name === 'floor') continue;
    out.ratio[t.name] = {
      p50: out[t.name].p50 / out.floor.p50,
      p99: out[t.name].p99 / out.floor.p99,
      rps: out[t.name].rps / out.floor.rps,
      p50PerRound: runs[t.name].map((d, i) => d.p50 / runs.floor[i].p50),
    };
  }
  return out;
}
