// Regenerates the README's admin screenshots in docs/. Run by hand, never by CI:
//
//   npm run screenshots        (= npm run build && node scripts/screenshots.mjs, on the project's Node 22)
//
// It starts its own Worker with the test harness (test/support/harness.mjs startWorker: `wrangler dev`
// on a free port with the seeded demo data in a temporary directory; its process group is taken down at
// the end, also on an error), signs in to the admin with the token it gave the Worker, and takes, in
// Debian's Chromium (/usr/bin/chromium through playwright-core; never `npx playwright install`), at
// 1280 px wide and a device scale factor of 1:
//
//   docs/report.png           Report: the first segment card with its conclusion and interval bar
//   docs/report-pipeline.png  the same with the Pipeline goal selected
//   docs/accounts.png         Accounts: Import intent (with a pasted import), CRM sync (HubSpot, write-back
//                             filled, not saved), Sales alerts (saved) and Recent alerts (delivered)
//   docs/admin.png            Variants, the first 800 px
//
// What is real and what is not:
// - Real, through the Worker's own APIs: the holdout shares of three demo segments and the sales-alert
//   channels (saved to the draft and published), the alerts (a page view of four demo accounts by a
//   signed link each, delivered to a local stand-in for Slack's incoming webhooks and a JSON receiver,
//   SLACK_HOOKS_URL), the intent import (pasted in the form and sent).
// - Illustrative: the report's numbers. The demo has no measured traffic, and a conclusion needs
//   thousands of accounts per segment and CRM opportunities, so the page's `/api/admin/report` request is
//   answered (page.route, as test/browser/admin-report.test.ts does) with a report that the edge's own
//   buildReport (shared/measure/report.ts) builds from generated store rows (seeded, so reruns differ
//   only in dates). The README's captions say "illustrative data".
// - docs/site.png and docs/editor.png are not retaken here.
//
// The script checks what each shot must show (the conclusion's words, the rows of the alerts, no error
// notice, no console error) and fails without writing that file otherwise.
import { createServer } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { adminClient, root, startWorker } from '../test/support/harness.mjs';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = `screenshots-${crypto.randomUUID()}`;
const LINK_SECRET = `screenshots-link-${crypto.randomUUID()}`;
const SITE = 'demo';
const DOCS = join(root, 'docs');
const WIDTH = 1280;
const DAY_MS = 86_400_000;

/** The few TypeScript functions of shared/ the script needs, bundled in memory (as scripts/lib.mjs importTs). */
export async function sharedTs() {
  const out = await esbuild.build({
    stdin: {
      contents: [
        "export { buildReport } from './shared/measure/report';",
        "export { dayOf, lastDays } from './shared/measure/days';",
        "export { signLink } from './shared/links/signed-link';",
        "export { demoAccounts, demoPersonas, personaQuery } from './shared/demo/site';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'error',
  });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Until `check()` answers something truthy, or throws `what` after `timeoutMs`. */
async function until(what, check, timeoutMs = 30_000) {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

// ── Stand-ins for where sales alerts go ──────────────────────────────────────────────────────────────

/** Slack's incoming webhooks (`POST /services/…` → 200 ok) and a JSON receiver (`POST /hook/…` → 200), on 127.0.0.1. */
function startHooks() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'POST' && path.startsWith('/services/')) res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      else if (req.method === 'POST' && path.startsWith('/hook/')) res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
      else res.writeHead(404).end();
    });
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
        close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r(undefined)))),
      });
    });
  });
}

// ── Illustrative report rows ────────────────────────────────────────────────────────────────────────

/** mulberry32: a small seeded generator, so every run draws the same numbers. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Counts of about n·p each, give or take `spread` of it, what a fraction left over carried to the next
 * (a day of 3 holdout units at 7.5 % is mostly 0, sometimes 1): daily counts that look noisy, and totals
 * that stay at n·p whatever the dates, so the conclusions (which the script checks) hold on every run.
 */
function counter(rnd, spread) {
  let carry = 0;
  return (n, p) => {
    const value = n * p * (1 + spread * (rnd() - 0.5) * 2) + carry;
    const whole = Math.max(0, Math.floor(value));
    carry = value - whole;
    return whole;
  };
}

/**
 * Store rows (shared/measure/report.ts ReportRows) for `days` (the range, oldest first): per segment
 * and arm the units exposed each day (fewer at weekends), converted on CTA click and form submit at the
 * arm's rate; the range's unique units a little under the sum of the days' (an account comes back);
 * v1 of the variants before `switchAt`, v2 after; for the always-valid interval every exposure since
 * the segment's first, `startDaysAgo` days ago; the Pipeline goal's accounts and opportunities.
 */
export function illustrativeRows(days, today, { dayOf }) {
  const rnd = random(20261203);
  /** personalized units a weekday, holdout share, CTA rates, submit rates, days since the first exposure, Pipeline */
  const SEGMENTS = [
    { segment: 'evaluating', perDay: 70, holdout: 0.2, cta: [0.11, 0.065], submit: [0.045, 0.032], startDaysAgo: 92, opp: [0.09, 0.05], deal: [46_000, 41_000] },
    { segment: 'fintech-enterprise', perDay: 24, holdout: 0.1, cta: [0.105, 0.09], submit: [0.03, 0.028], startDaysAgo: 41, opp: [0.06, 0.05], deal: [120_000, 110_000] },
    { segment: 'snowflake-users', perDay: 9, holdout: 0.1, cta: [0.09, 0.07], submit: [0.02, 0.02], startDaysAgo: 12, opp: [0.03, 0.02], deal: [38_000, 35_000] },
  ];
  const rows = {
    arms: [],
    goals: [],
    days: [],
    versions: [],
    totals: [],
    dropped: { batches: 0, events: 0 },
    cumulative: { arms: [], goals: [] },
    pipeline: { since: null, arms: [], days: [], opportunities: 0 },
  };
  let exposureEvents = 0;
  let conversionEvents = 0;
  const switchAt = days[days.length - 12]; // v2 went live 12 days ago
  for (const s of SEGMENTS) {
    const firstDay = Math.max(0, days.length - s.startDaysAgo);
    for (const [i, arm] of /** @type {const} */ (['personalized', 'holdout']).entries()) {
      const sums = { units: 0, cta: 0, submit: 0 };
      const byVersion = { 1: { units: 0, cta: 0, submit: 0 }, 2: { units: 0, cta: 0, submit: 0 } };
      const ctaCount = counter(rnd, 0.2);
      const submitCount = counter(rnd, 0.2);
      days.forEach((day, d) => {
        if (d < firstDay) return;
        const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
        const busy = weekday === 0 || weekday === 6 ? 0.35 : 0.8 + 0.4 * rnd();
        const personalized = s.perDay * busy;
        const units = Math.round(arm === 'personalized' ? personalized : (personalized * s.holdout) / (1 - s.holdout) * (0.8 + 0.4 * rnd()));
        const cta = ctaCount(units, s.cta[i]);
        const submit = submitCount(units, s.submit[i]);
        rows.days.push({ type: 'exposure', segment: s.segment, arm, goal: '', slice: day, units });
        rows.days.push({ type: 'conversion', segment: s.segment, arm, goal: 'cta', slice: day, units: cta });
        rows.days.push({ type: 'conversion', segment: s.segment, arm, goal: 'submit', slice: day, units: submit });
        const v = byVersion[day < switchAt ? 1 : 2];
        for (const [k, n] of Object.entries({ units, cta, submit })) (sums[k] += n), (v[k] += n);
      });
      const units = Math.round(sums.units * 0.86);
      const events = Math.round(sums.units * 1.7);
      exposureEvents += events;
      rows.arms.push({ segment: s.segment, arm, units, visitors: Math.round(units * 1.35), accounts: units, events });
      for (const goal of ['cta', 'submit']) {
        const converted = Math.round(sums[goal] * 0.97);
        conversionEvents += Math.round(converted * 1.25);
        rows.goals.push({ segment: s.segment, arm, goal, units: converted, events: Math.round(converted * 1.25) });
      }
      for (const [version, v] of Object.entries(byVersion)) {
        if (!v.units) continue;
        rows.versions.push({ type: 'exposure', segment: s.segment, arm, goal: '', slice: Number(version), units: Math.round(v.units * 0.9) });
        for (const goal of ['cta', 'submit']) rows.versions.push({ type: 'conversion', segment: s.segment, arm, goal, slice: Number(version), units: Math.round(v[goal] * 0.95) });
      }

      // every exposure since the segment's first: the range's, scaled by the days it ran before it
      const before = Math.max(0, s.startDaysAgo - days.length);
      const scale = 1 + (before / days.length) * 0.9;
      const cumulative = Math.round(units * scale);
      rows.cumulative.arms.push({ segment: s.segment, arm, units: cumulative, start: dayOf(Date.parse(`${today}T00:00:00Z`) - (s.startDaysAgo - 1) * DAY_MS) });
      for (const goal of ['cta', 'submit']) {
        const converted = rows.goals.find((g) => g.segment === s.segment && g.arm === arm && g.goal === goal).units;
        rows.cumulative.goals.push({ segment: s.segment, arm, goal, units: Math.round(converted * scale) });
      }

      // Pipeline: the accounts exposed since the first exposure, each with a new opportunity at the arm's
      // rate, amounts log-normal around the arm's typical deal (heavy-tailed, as amounts are); a generator
      // of their own, so the amounts do not depend on what the days drew before
      const deals = random(1000 * (SEGMENTS.indexOf(s) + 1) + i);
      const withOpportunity = counter(deals, 0.03)(cumulative, s.opp[i]);
      let pipeline = 0;
      let squares = 0;
      let withPipeline = 0;
      let won = 0;
      let wonCount = 0;
      let lostCount = 0;
      let opportunities = 0;
      for (let k = 0; k < withOpportunity; k++) {
        const count = deals() < 0.15 ? 2 : 1;
        opportunities += count;
        const normal = Math.sqrt(-2 * Math.log(1 - deals())) * Math.cos(2 * Math.PI * deals());
        const amount = deals() < 0.06 ? 0 : Math.round((s.deal[i] * Math.exp(1.1 * normal - 0.6)) / 100) * 100;
        if (amount > 0) withPipeline++;
        pipeline += amount;
        squares += amount * amount;
        const stage = deals();
        if (stage < 0.22) (wonCount++, (won += amount));
        else if (stage < 0.4) lostCount++;
        rows.pipeline.days.push({ segment: s.segment, arm, days: Math.round(4 + 40 * deals() * deals()) });
      }
      rows.pipeline.opportunities += opportunities;
      rows.pipeline.arms.push({ segment: s.segment, arm, accounts: cumulative, withOpportunity, opportunities, pipeline, pipelineSquares: squares, withPipeline, won, wonCount, lostCount });
    }
  }
  rows.totals = [
    { type: 'exposure', events: exposureEvents },
    { type: 'conversion', events: conversionEvents },
  ];
  return rows;
}

// ── The page ─────────────────────────────────────────────────────────────────────────────────────────

/**
 * Console errors and uncaught exceptions of the page, and admin API requests answered with an error once
 * signed in (`watch.signedIn = true`); the script fails on any. "Failed to load resource" is the browser's
 * note of any 4xx, the 401 that asks for the sign-in form among them: answers are checked instead.
 */
function watchProblems(page) {
  const watch = { signedIn: false, problems: [] };
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && watch.problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => watch.problems.push(`page error: ${e.message}`));
  page.on('response', (r) => watch.signedIn && r.status() >= 400 && watch.problems.push(`${r.request().method()} ${new URL(r.url()).pathname}: ${r.status()}`));
  return watch;
}

/** Fails when the page shows an error notice or an alert (a visually-hidden one is for screen readers). */
async function expectNoErrors(page, { problems }, what) {
  const shown = await page.locator('.notice.error, [role="alert"]:not(.visually-hidden)').evaluateAll((els) => els.filter((e) => e.getClientRects().length > 0).map((e) => e.textContent?.trim()));
  if (shown.length) throw new Error(`${what}: the page shows an error: ${shown.join(' | ')}`);
  if (problems.length) throw new Error(`${what}: ${problems.join('\n')}`);
}

/** The union of the elements' boxes in the document (to the page's right edge from `x`), padded. */
async function regionOf(page, locators, { pad = 12, x = 0, top } = {}) {
  const boxes = [];
  for (const l of locators) {
    const box = await l.evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { y: r.top + window.scrollY, bottom: r.bottom + window.scrollY };
    });
    boxes.push(box);
  }
  const y = Math.max(0, top ?? Math.floor(Math.min(...boxes.map((b) => b.y)) - pad));
  const bottom = Math.ceil(Math.max(...boxes.map((b) => b.bottom)) + pad);
  return { x, y, width: WIDTH - x, height: bottom - y };
}

/** A region of the whole page (clip in document coordinates), written to docs/. */
async function shoot(page, file, clip) {
  const png = await page.screenshot({ clip, fullPage: true, animations: 'disabled', caret: 'hide' });
  await writeFile(join(DOCS, file), png);
  console.log(`docs/${file}: ${clip.width}×${clip.height}, ${Math.round(png.length / 1024)} KB`);
}

async function nav(page, name) {
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

// ── Main ─────────────────────────────────────────────────────────────────────────────────────────────

async function main() {
  const lib = await sharedTs();
  await mkdir(DOCS, { recursive: true });
  const hooks = await startHooks();
  /** @type {Awaited<ReturnType<typeof startWorker>> | undefined} */
  let worker;
  /** @type {import('playwright-core').Browser | undefined} */
  let browser;
  try {
    console.log('starting the Worker (wrangler dev, seeded demo data)…');
    // both at once; whichever started is stopped below, also when the other failed
    const [started, launched] = await Promise.allSettled([
      startWorker({ vars: { ADMIN_TOKEN: TOKEN, LINK_SECRET, SLACK_HOOKS_URL: hooks.origin } }),
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      }),
    ]);
    if (started.status === 'fulfilled') worker = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    const origin = worker.origin;
    const api = adminClient(origin, TOKEN);

    // Holdout shares on three demo segments and the sales-alert channels, published (version 2).
    const state = await api('GET', `/sites/${SITE}`);
    const config = structuredClone(state.draft.config);
    const HOLDOUTS = { evaluating: 0.2, 'fintech-enterprise': 0.1, 'snowflake-users': 0.1 };
    for (const s of config.segments) if (s.id in HOLDOUTS) s.holdout = HOLDOUTS[s.id];
    config.alerts = { slack: { webhookUrl: 'https://hooks.slack.com/services/T0LAKEHSE/B0SALES01/demo-sales-alerts' }, webhook: { url: `${hooks.origin}/hook/crm-workflow` } };
    const saved = await api('PUT', `/sites/${SITE}/draft`, { baseRevision: state.draft.revision, config });
    await api('POST', `/sites/${SITE}/publish`, { baseRevision: saved.draft.revision });
    const published = (await api('GET', `/sites/${SITE}`)).draft.config;
    // the seed wrote the demo's accounts to the edge's read copy (KV) only: into the system of record
    // too, as an import, so that the intent import below finds them
    const accountsImported = await api('POST', `/sites/${SITE}/accounts/import`, { rows: lib.demoAccounts });
    if (accountsImported.rejected?.length) throw new Error(`demo accounts refused: ${JSON.stringify(accountsImported.rejected)}`);

    // Four demo accounts view the demo page by a signed ABM link: each enters its segment and alerts.
    const ALERTING = ['quillon-health.example', 'northwind-bank.example', 'orchard-retail.example', 'sprocket-ai.example'];
    const personas = ALERTING.map((d) => lib.demoPersonas.find((p) => p.domain === d));
    console.log('sending page views that alert…');
    await until(
      'four delivered alerts',
      async () => {
        // the edge reads the published config within about 10 s; a decision with the older one alerts nobody
        for (const p of personas) {
          const link = await lib.signLink(LINK_SECRET, SITE, { domain: p.domain, exp: Math.floor(Date.now() / 1000) + 3600 });
          const res = await fetch(`${origin}/v1/decide`, {
            method: 'POST',
            headers: { 'content-type': 'text/plain', origin },
            body: JSON.stringify({ site: SITE, url: `${origin}/demo${lib.personaQuery(p, link)}`, visitor: `shot-${p.domain.split('.')[0]}` }),
          });
          if (!res.ok) throw new Error(`decide: ${res.status} ${await res.text()}`);
          await sleep(300);
        }
        const { alerts } = await api('GET', `/sites/${SITE}/alerts`);
        return alerts.length >= ALERTING.length && alerts.every((a) => a.status === 'delivered');
      },
      90_000,
    );

    // The report the page asks for: the edge's buildReport on illustrative rows, with the published config.
    const range = lib.lastDays();
    const days = [];
    for (let t = Date.parse(`${range.from}T00:00:00Z`); t <= Date.parse(`${range.to}T00:00:00Z`); t += DAY_MS) days.push(lib.dayOf(t));
    const rows = illustrativeRows(days, range.to, lib);

    const context = await browser.newContext({ viewport: { width: WIDTH, height: 800 }, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC', colorScheme: 'light' });
    const page = await context.newPage();
    const watch = watchProblems(page);
    await page.route(
      (url) => url.pathname === '/api/admin/report' && url.searchParams.get('format') === 'json',
      async (route) => {
        const url = new URL(route.request().url());
        const interval = url.searchParams.get('interval') ?? 'sequential';
        const attributionDays = Number(url.searchParams.get('attribution') ?? 90);
        await route.fulfill({ json: lib.buildReport(published, SITE, url.searchParams.get('from') ?? range.from, url.searchParams.get('to') ?? range.to, rows, { interval, attributionDays }) });
      },
    );

    await page.goto(`${origin}/admin`);
    await page.getByLabel('Admin token').fill(TOKEN);
    await page.getByLabel('Site id').fill(SITE);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Segments' }).waitFor();
    await page.getByText('Live: version 2').waitFor();
    watch.signedIn = true;

    // Report: the first measured segment, Evaluating, on CTA click
    await nav(page, 'Report');
    const card = page.getByRole('article', { name: /^Evaluating/ });
    const lift = card.locator('.lift');
    await lift.getByText(/^Personalized is better on CTA click/).waitFor();
    await card.locator('svg.lift-bar').first().waitFor();
    await card.getByRole('table', { name: /By variant version/ }).waitFor();
    await expectNoErrors(page, watch, 'report');
    await shoot(page, 'report.png', await regionOf(page, [card], { top: 0 }));

    // Report: the Pipeline goal
    await page.getByRole('form', { name: 'Report range and goal' }).getByLabel('Goal').selectOption('pipeline');
    await card.locator('.lift').first().getByText(/^Personalized is better on accounts with a new opportunity/).waitFor();
    if (!/^Personalized is better on pipeline per exposed account/.test(await card.locator('.lift').nth(1).innerText())) throw new Error('report (pipeline): the pipeline lift is not "better"');
    await card.getByText(/within 90 days of the account's first exposure/).waitFor();
    await expectNoErrors(page, watch, 'report (pipeline)');
    await shoot(page, 'report-pipeline.png', await regionOf(page, [card], { top: 0 }));

    // Accounts: an intent import, the CRM sync form filled for HubSpot, the saved alerts and the delivered ones
    await nav(page, 'Accounts');
    const intent = page.getByRole('form', { name: 'Import intent' });
    const monday = lib.dayOf(Date.now() - ((new Date().getUTCDay() + 6) % 7) * DAY_MS);
    await intent.getByLabel('Or paste the rows').fill(
      [
        'domain,topic,score,date',
        `quillon-health.example,Data Lakehouse,84,${monday}`,
        `northwind-bank.example,Data Governance,66,${monday}`,
        `orchard-retail.example,Apache Iceberg,62,${monday}`,
      ].join('\n'),
    );
    await intent.getByRole('button', { name: 'Import intent' }).click();
    const imported = intent.getByRole('status').getByText(/imported for/);
    await imported.waitFor();
    if (!/^3 scores imported for 3 accounts, 0 rows rejected/.test(await imported.innerText())) throw new Error(`accounts: the intent import says ${await intent.innerText()}`);

    const crm = page.getByRole('form', { name: 'CRM sync' });
    await crm.getByLabel('Sync accounts from').selectOption('hubspot');
    await crm.getByLabel('Write the segment back to').fill('pz_segment');
    await crm.getByLabel('and its entry time to').fill('pz_segment_entered_at');
    await crm.getByLabel(/Also read deals/).check();

    const alerts = page.getByRole('form', { name: 'Sales alerts' });
    if ((await alerts.getByLabel('Slack incoming-webhook URL').inputValue()) !== 'Saved (not shown: it is a credential)') throw new Error('accounts: the Slack webhook is not shown as saved');
    const recent = page.getByRole('table', { name: 'Recent alerts' });
    await recent.getByRole('row').filter({ hasText: 'Northwind Bank' }).waitFor();
    const delivered = await recent.getByTestId('delivery').allInnerTexts();
    if (delivered.length !== 2 * ALERTING.length || !delivered.every((d) => / delivered 1 attempt · HTTP 200$/.test(d))) throw new Error(`accounts: deliveries ${JSON.stringify(delivered)}`);
    const recentCard = page.locator('.card', { has: page.getByRole('heading', { level: 2, name: 'Recent alerts' }) });
    await expectNoErrors(page, watch, 'accounts');
    const mainLeft = await page.locator('main').evaluate((e) => Math.floor(e.getBoundingClientRect().left));
    await shoot(page, 'accounts.png', await regionOf(page, [intent, recentCard], { x: mainLeft }));

    // Variants, as the README's first admin screenshot
    await nav(page, 'Variants');
    await page.getByRole('rowheader', { name: 'Customers' }).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await expectNoErrors(page, watch, 'variants');
    await shoot(page, 'admin.png', { x: 0, y: 0, width: WIDTH, height: 800 });

    await context.close();
  } finally {
    await browser?.close().catch(() => {});
    await worker?.stop();
    await hooks.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exitCode = 1;
  });
}
