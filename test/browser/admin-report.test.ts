/**
 * The admin's Report view and goals editor in Chromium against the real Worker (wrangler dev, its local
 * queue and D1, no mocks): events sent through POST /v1/events show up per segment and arm, the lift
 * says there is not enough data yet, Export CSV downloads the report, a range without events explains
 * how data arrives, and goals are saved to the draft with their validation next to the fields.
 *
 * The report counts every event of its site, so this file has its own copy of the demo site on the
 * shared Worker (SHARED_SITES.report).
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecideResponse, EventsAnswer, type IntervalMethod, Report, SiteState } from '../../shared/schemas';
import { buildReport, type ReportRows } from '../../shared/measure/report';
import { DAY_MS, dayOf } from '../../shared/measure/days';
import { launchBrowser, withCheckedPage } from '../support/browser';
import { signedAccount } from '../support/links';
import { SHARED_LINK_SECRET, SHARED_SITES, sharedWorker } from '../support/worker';

const SITE = SHARED_SITES.report;
const worker = sharedWorker();
const TOKEN = worker.adminToken;
const VISITOR = 'visitor-report-1';
/** A Logistics customer: the demo decides it into the "customers" segment (holdout 0: always personalized). */
const ACCOUNT = 'halcyon-freight.example';

let browser: Browser;

async function admin(path: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(`${worker.origin}/api/admin${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers },
  });
  const text = await res.text();
  expect(res.ok, `${path}: ${res.status} ${text.slice(0, 300)}`).toBe(true);
  return JSON.parse(text) as unknown;
}

/**
 * Answers the page's report requests in place of the edge, with the edge's own buildReport over
 * stand-in store rows, for the range, interval and attribution window each asks; answers the queries asked.
 */
async function answerReport(page: Page, rows: ReportRows, from: string): Promise<URLSearchParams[]> {
  const asked: URLSearchParams[] = [];
  await page.route(
    (url) => url.pathname === '/api/admin/report' && url.searchParams.get('format') === 'json',
    async (route) => {
      const q = new URL(route.request().url()).searchParams;
      asked.push(q);
      const interval = (q.get('interval') ?? 'sequential') as IntervalMethod;
      await route.fulfill({ json: buildReport(null, SITE, q.get('from') ?? from, dayOf(Date.now()), rows, { interval, attributionDays: Number(q.get('attribution') ?? 90) }) });
    },
  );
  return asked;
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const withPage = (run: (page: Page, context: BrowserContext) => Promise<void>) => withCheckedPage(browser, run, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });

/** Signs in and opens the Report view from the navigation. */
async function openReport(page: Page) {
  await page.goto(`${worker.origin}/admin`);
  await page.getByLabel('Admin token').fill(TOKEN);
  await page.getByLabel('Site id').fill(SITE);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Segments' }).waitFor();
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Report' }).click();
  await page.getByRole('heading', { level: 1, name: 'Report' }).waitFor();
}

/** One visitor of the account: a decision, then its exposure and a CTA click, echoing the decision's `measure`. */
async function sendVisit() {
  const decided = await fetch(`${worker.origin}/v1/decide`, {
    method: 'POST',
    // a page view of the Worker's own demo page (its origin is always allowed): the match rate counts it
    headers: { 'content-type': 'text/plain', origin: worker.origin },
    body: JSON.stringify({ site: SITE, url: `${worker.origin}/demo?pz_account=${await signedAccount(SHARED_LINK_SECRET, SITE, ACCOUNT)}`, visitor: VISITOR }),
  });
  expect(decided.status).toBe(200);
  const { measure } = DecideResponse.parse(await decided.json());
  expect(measure).toMatchObject({ segment: 'customers', arm: 'personalized', account: ACCOUNT });
  const sent = await fetch(`${worker.origin}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({
      site: SITE,
      batch: randomUUID().replaceAll('-', ''),
      visitor: VISITOR,
      events: [{ type: 'exposure', ...measure }, { type: 'conversion', goal: 'cta', ...measure }],
    }),
  });
  expect(sent.status).toBe(202);
  expect(EventsAnswer.parse(await sent.json())).toMatchObject({ accepted: 2, rejected: [] });
}

/** Events are aggregated through a queue: polls the report API until both are counted. */
async function reportCounts(): Promise<Report> {
  let report: Report | undefined;
  await expect
    .poll(async () => ((report = Report.parse(await admin(`/report?site=${SITE}`))), report.totals), { timeout: 30_000, interval: 250 })
    .toEqual({ exposures: 1, conversions: 1 });
  return report!;
}

describe('admin report', () => {
  it('shows a measured visit in the personalized arm, not enough data for a lift, and exports the CSV', { timeout: 90_000 }, async () => {
    await sendVisit();
    await reportCounts();
    // the match rate's counts reach D1 in a batch a few seconds after the page view
    await expect.poll(async () => ((await admin(`/match-rate?site=${SITE}`)) as { views: number }).views, { timeout: 30_000, interval: 500 }).toBe(1);

    await withPage(async (page) => {
      await openReport(page);
      const table = page.getByRole('table', { name: 'Customers: personalized and holdout, CTA click' });
      // The report loads after the heading: wait for its rows (allInnerTexts does not wait).
      await table.getByRole('row', { name: /^Personalized/ }).waitFor();
      // units exposed, visitors, accounts, converted units, conversion rate
      expect(await table.getByRole('row', { name: /^Personalized/ }).getByRole('cell').allInnerTexts()).toEqual(['1', '1', '1', '1', '100.0%']);
      expect(await table.getByRole('row', { name: /^Holdout/ }).getByRole('cell').allInnerTexts()).toEqual(['0', '0', '0', '0', '–']);

      const card = page.getByRole('article', { name: /^Customers/ });
      const lift = card.getByText('Not enough data yet');
      await lift.waitFor();
      expect(await card.locator('.lift').innerText()).toContain('Personalized has 1 of 30 exposed; holdout has 0 of 30 exposed.');
      expect(await card.getByRole('img', { name: /Customers: units exposed and converted on CTA click, per day/ }).count()).toBe(1);
      expect(await card.getByRole('table', { name: 'Customers: By variant version' }).getByRole('row', { name: /^v1/ }).getByRole('cell').allInnerTexts()).toEqual([
        'personalized', '1', '1', '100.0%',
      ]);
      // Segments without exposures are named, not drawn.
      expect(await page.getByRole('article').count()).toBe(1);

      // the match rate: the one page view, by a signed ABM link, verified
      const match = page.getByRole('region', { name: 'Match rate' });
      await match.getByText('page views were resolved to a company').waitFor();
      expect(await match.getByText(/of 1 page views were resolved/).innerText()).toMatch(/^100 %/);
      expect(await match.getByRole('table', { name: 'By method' }).getByRole('row', { name: /ABM link/ }).getByRole('cell').allInnerTexts()).toEqual(['ABM link', '1', '100 %']);
      expect(await match.getByRole('figure').getByText(/Verified 100 %/).count()).toBe(1);

      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export CSV' }).click();
      const file = await download;
      // report-<site>-<from>-<to>.csv
      expect(file.suggestedFilename()).toMatch(new RegExp(`^report-${SITE}-\\d{4}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
      const csv = await readFile((await file.path())!, 'utf8');
      expect(csv.startsWith('segment,segment_name,arm,goal,day,version,exposed_units,')).toBe(true);
      expect(csv).toContain('customers,Customers,personalized,cta,,,1,1,1,1,1,,,,not enough data');
    });
  });

  it('explains how data arrives when the chosen range has no events', async () => {
    await withPage(async (page) => {
      await openReport(page);
      const controls = page.getByRole('form', { name: 'Report range and goal' });
      await controls.getByLabel('From').fill('2020-01-01');
      await controls.getByLabel('To').fill('2020-01-31');
      await controls.getByRole('button', { name: 'Show' }).click();
      await page.getByRole('heading', { level: 2, name: 'No events yet' }).waitFor();
      const empty = await page.locator('.report-empty').innerText();
      expect(empty).toContain('Nothing was measured from 2020-01-01 to 2020-01-31');
      expect(empty).toContain('holdout share');
      expect(await page.getByRole('article').count()).toBe(0);
    });
  });

  it('says what to conclude today: from the always-valid interval by default, keep running on a fixed-sample one before its end', async () => {
    // Three segments with a holdout, as the edge would report them (the demo holds out nobody): the report
    // is built by the edge's own code from stand-in store rows and answered in place of the edge's.
    const from = dayOf(Date.now() - 9 * DAY_MS);
    const start = dayOf(Date.now() - 40 * DAY_MS);
    const segments = { winning: [4000, 400, 1000, 60], unsure: [4000, 200, 1000, 60], losing: [4000, 120, 1000, 60] } as const;
    const rows: ReportRows = { arms: [], goals: [], days: [], versions: [], totals: [{ type: 'exposure', events: 1 }], dropped: { batches: 0, events: 0 }, cumulative: { arms: [], goals: [] }, pipeline: { since: null, arms: [], days: [], opportunities: 0 } };
    for (const [segment, [n1, x1, n0, x0]] of Object.entries(segments)) {
      const arms = [['personalized', n1, x1], ['holdout', n0, x0]] as const;
      for (const [arm, units, converted] of arms) {
        // the range holds a quarter of what the segment saw since its start
        rows.arms.push({ segment, arm, units: units / 4, visitors: units / 4, accounts: units / 4, events: units / 4 });
        rows.goals.push({ segment, arm, goal: 'cta', units: converted / 4, events: converted / 4 });
        rows.cumulative!.arms.push({ segment, arm, units, start });
        rows.cumulative!.goals.push({ segment, arm, goal: 'cta', units: converted });
      }
    }
    await withPage(async (page) => {
      const asked = await answerReport(page, rows, from);
      await openReport(page);
      const card = (name: string) => page.getByRole('article', { name: new RegExp(`^${name}`) }).locator('.lift');
      await card('winning').waitFor();
      expect(await card('winning').innerText()).toMatch(/^Personalized is better on CTA click: lift \+67% \(always-valid 95% CI \+\d+% to \+\d+%\)/);
      expect(await card('winning').innerText()).toContain(`counted on every exposure since the segment's first, ${start} (4,000 and 1,000 units)`);
      expect(await card('unsure').innerText()).toMatch(/^Keep running on CTA click: lift −17%/);
      expect(await card('unsure').innerText()).toContain('still includes no change. It allows a look every day');
      expect(await card('losing').innerText()).toMatch(/^Holdout is better on CTA click: lift −50%/);
      expect(await card('winning').getAttribute('class')).toBe('lift better');
      expect(await card('losing').getAttribute('class')).toBe('lift worse');

      // the fixed-sample interval, on the range alone, before its end date is over: keep running, whatever it shows
      await page.getByRole('form', { name: 'Report range and goal' }).getByLabel('Interval').selectOption('fixed');
      await card('winning').getByText('fixed-sample 95% CI').waitFor();
      for (const name of Object.keys(segments)) {
        expect(await card(name).innerText()).toMatch(/^Keep running on CTA click/);
        expect(await card(name).innerText()).toContain(`is read once, after its end date ${dayOf(Date.now())}`);
      }
      expect(await card('winning').getAttribute('class')).toBe('lift inconclusive');
      expect(asked.map((q) => q.get('interval') ?? 'sequential')).toEqual(['sequential', 'fixed']);
    });
  });

  it('shows the Pipeline goal: per arm the accounts with a new CRM opportunity, pipeline, won and win rate, the lifts, and the attribution window asked for', async () => {
    const start = dayOf(Date.now() - 40 * DAY_MS);
    const pipelineArm = (arm: 'personalized' | 'holdout', accounts: number, withOpportunity: number, pipeline: number) =>
      ({ segment: 'winning', arm, accounts, withOpportunity, opportunities: withOpportunity, pipeline, pipelineSquares: (pipeline * pipeline) / withOpportunity, withPipeline: withOpportunity, won: pipeline / 2, wonCount: withOpportunity / 5, lostCount: withOpportunity / 5 });
    const rows: ReportRows = {
      arms: [{ segment: 'winning', arm: 'personalized', units: 4000, visitors: 4000, accounts: 4000, events: 4000 }, { segment: 'winning', arm: 'holdout', units: 1000, visitors: 1000, accounts: 1000, events: 1000 }],
      goals: [],
      days: [],
      versions: [],
      totals: [{ type: 'exposure', events: 5000 }],
      dropped: { batches: 0, events: 0 },
      cumulative: { arms: [{ segment: 'winning', arm: 'personalized', units: 4000, start }, { segment: 'winning', arm: 'holdout', units: 1000, start }], goals: [] },
      pipeline: { since: null, arms: [pipelineArm('personalized', 4000, 400, 4_000_000), pipelineArm('holdout', 1000, 50, 500_000)], days: [{ segment: 'winning', arm: 'personalized', days: 12 }, { segment: 'winning', arm: 'holdout', days: 20 }], opportunities: 450 },
    };
    await withPage(async (page) => {
      const asked = await answerReport(page, rows, start);
      await openReport(page);
      const controls = page.getByRole('form', { name: 'Report range and goal' });
      await controls.getByLabel('Goal').selectOption('pipeline');
      const card = page.getByRole('article', { name: /^winning/ });
      const lifts = card.locator('.lift');
      await lifts.first().waitFor();
      expect(await lifts.nth(0).innerText()).toMatch(/^Personalized is better on accounts with a new opportunity: lift \+100% \(always-valid 95% CI \+\d+% to \+\d+%\)/);
      expect(await lifts.nth(1).innerText()).toMatch(/^Personalized is better on pipeline per exposed account: lift \+100%/);
      const table = await card.getByRole('table').innerText();
      expect(table).toMatch(/Personalized\s+4,000\s+400\s+10\.0%\s+4,000,000\s+1,000\s+2,000,000\s+50\.0%\s+12\.0/);
      expect(table).toMatch(/Holdout\s+1,000\s+50\s+5\.0%\s+500,000\s+500\s+250,000\s+50\.0%\s+20\.0/);
      expect(await card.innerText()).toContain('within 90 days of the account\'s first exposure');
      await controls.getByLabel('Attribution window').selectOption('30');
      await card.getByText('within 30 days of the account\'s first exposure').waitFor();
      expect(asked.at(-1)!.get('attribution')).toBe('30');
    });
  });

  it('saves URL and element goals to the draft, refusing a built-in id next to its field', async () => {
    await withPage(async (page) => {
      await openReport(page);
      const form = page.getByRole('form', { name: 'Goals' });
      await form.getByRole('button', { name: 'Add goal' }).click();
      const first = form.getByRole('group', { name: 'Goal 1' });
      await first.getByLabel('Id').fill('cta');
      await first.getByLabel('Name').fill('Thank-you page');
      await first.getByLabel('URL patterns (one per line)').fill('/thank-you*');
      await form.getByRole('button', { name: 'Save goals' }).click();
      await form.getByRole('alert').waitFor();
      expect(await first.getByLabel('Id').getAttribute('aria-invalid')).toBe('true');
      await first.getByText('cta and submit are built-in goals').waitFor();

      await first.getByLabel('Id').fill('thank-you');
      await form.getByRole('button', { name: 'Add goal' }).click();
      const second = form.getByRole('group', { name: 'Goal 2' });
      await second.getByLabel('Id').fill('demo-request');
      await second.getByLabel('Name').fill('Demo request');
      await second.getByLabel('A click on a marked element').check();
      await second.getByText('data-pz-goal="demo-request"').waitFor();
      await form.getByRole('button', { name: 'Save goals' }).click();
      await page.getByRole('status').filter({ hasText: 'Goals saved to the draft.' }).waitFor();
      expect(await form.getByRole('alert').count()).toBe(0);

      const state = SiteState.parse(await admin(`/sites/${SITE}`));
      expect(state.draft.config.goals).toEqual([
        { id: 'thank-you', name: 'Thank-you page', urlPatterns: ['/thank-you*'] },
        { id: 'demo-request', name: 'Demo request' },
      ]);
    });
  });
});
