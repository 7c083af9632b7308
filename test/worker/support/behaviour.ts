import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { expect } from 'vitest';
import worker from '../../../edge/index';
import { type ActivityKey, type SummaryQuery, activityName, digestKey } from '../../../edge/activity/account-activity';
import { digestOf } from '../../../shared/activity/digest';
import { activityPlan, behaviourConditions, needsOf } from '../../../shared/activity/plan';
import { readActivity } from '../../../edge/activity/client';
import { buildKvEntries } from '../../../shared/kv/entries';
import { DAY_MS } from '../../../shared/rules/behaviour';
import { ActivityDigest, type ActivityNeeds, type ActivitySummary, DecideResponse, SiteConfig } from '../../../shared/schemas';
import { accounts, noHoldout, siteConfig } from './fixture';

export { DAY_MS };
export const HOUR_MS = 3_600_000;

/**
 * The fixture site with page groups and behavioural segments:
 * customers (10) > hot: 3 pricing views in 14 days (20) > team: a Retail account of 100+ with 2 people in 7 days (25)
 * > fintech (30) > snowflake (40) > webinar (50).
 */
export function behaviourConfig(site: string, changes: Partial<SiteConfig> = {}): SiteConfig {
  return SiteConfig.parse({
    ...siteConfig,
    site,
    pageGroups: [
      { id: 'pricing', patterns: ['/pricing*'] },
      { id: 'docs', patterns: ['/docs/*'] },
    ],
    segments: noHoldout([
      ...siteConfig.segments,
      { id: 'hot', name: 'Hot pricing interest', kind: 'behavioural', priority: 20, rule: { all: [{ op: 'views', group: 'pricing', min: 3, days: 14 }] } },
      {
        id: 'team',
        name: 'Retail team evaluating',
        kind: 'behavioural',
        priority: 25,
        rule: {
          all: [
            { field: 'account.industry', op: 'equals', value: 'Retail' },
            { field: 'account.employees', op: 'range', min: 100 },
            { op: 'visitors', min: 2, days: 7 },
          ],
        },
      },
    ]),
    variants: {
      ...siteConfig.variants,
      hot: { headline: { type: 'text', text: 'Pricing for {{account.name|your team}}' } },
      team: { headline: { type: 'text', text: 'Your team is looking' } },
    },
    ...changes,
  });
}

/** Loads a site's config and the fixture accounts into the real local KV. */
export async function seedSite(config: SiteConfig): Promise<void> {
  const { entries } = buildKvEntries(config.site, config, accounts);
  await Promise.all(entries.map((e) => env.KV.put(e.key, e.value)));
}

/** POST /v1/decide through the Worker: the response as soon as it is sent, and a wait for its background work. */
export async function decideCall(body: Record<string, unknown>, headers: Record<string, string> = {}, bindings: Partial<typeof env> = {}) {
  const ctx = createExecutionContext();
  // as the snippet sends it from the page: with the page's Origin (only such page views are recorded), unless `headers` say otherwise
  const origin: Record<string, string> = typeof body.url === 'string' && !('origin' in headers) ? { origin: new URL(body.url).origin } : {};
  const request = new Request('https://edge.test/v1/decide', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'text/plain', ...origin, ...headers } });
  const res = await worker.fetch(request, { ...env, ...bindings }, ctx);
  return { res, settled: () => waitOnExecutionContext(ctx) };
}

/** POST /v1/decide through the Worker, then waits for its background work (the recording). */
export async function decideSettled(body: Record<string, unknown>, headers: Record<string, string> = {}, bindings: Partial<typeof env> = {}): Promise<DecideResponse> {
  const { res, settled } = await decideCall(body, headers, bindings);
  await settled();
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return DecideResponse.parse(JSON.parse(text));
}

export const activity = (key: ActivityKey) => env.ACCOUNT_ACTIVITY.getByName(activityName(key));

/** The activity of a key as a decision sees it (the store's summary, decoded). */
export const summaryOf = (key: ActivityKey, query: SummaryQuery) => readActivity(env.ACCOUNT_ACTIVITY, key, query);

/** What behaviourConfig's rules need of an activity digest. */
export const BEHAVIOUR_NEEDS = activityPlan(behaviourConfig('needs')).needs;

/** The digest a decision with `config`'s rules reads for this recorded activity. */
export const digestFor = (summary: ActivitySummary, config: Parameters<typeof behaviourConditions>[0]) => digestOf(summary, needsOf(behaviourConditions(config)));

type TestView = { at: number; visitor?: string; path?: string; groups?: string[] };

/**
 * Records views with explicit times (the store's clock is the caller's). With `needs` (what the site's
 * rules read) it then waits until the object has written the digest decisions read to KV (at most one
 * write a second, so up to a second or two).
 */
export async function recordViews(key: ActivityKey, views: TestView[], retentionDays = 90, needs: ActivityNeeds | null = null) {
  const stub = activity(key);
  for (const v of views)
    await stub.record({ key, at: v.at, visitor: v.visitor ?? 'visitor-1', path: v.path ?? '/pricing', groups: v.groups ?? ['pricing'], retentionDays, needs });
  if (needs && views.length) await digestWritten(key, Math.max(...views.map((v) => v.at)));
}

/** Records views of a behaviourConfig site and waits until decisions can read them. */
export const recordActivity = (key: ActivityKey, views: TestView[]) => recordViews(key, views, 90, BEHAVIOUR_NEEDS);

/** Waits (up to 5 s) until KV holds a digest of `key` that includes the view at `through`. */
export async function digestWritten(key: ActivityKey, through: number): Promise<ActivityDigest> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const text = await env.KV.get(digestKey(key), 'text');
    const digest = text === null ? null : ActivityDigest.parse(JSON.parse(text));
    if (digest && digest.through !== null && digest.through >= through) return digest;
    if (Date.now() > deadline) throw new Error(`no digest of ${digestKey(key)} through ${through} in KV`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The real KV, except that reads of activity digests (`act:` keys) throw, or answer after `delayMs`. */
export function digestFaults(mode: 'throw' | { delayMs: number }): KVNamespace {
  const faulty = {
    async get(key: string, type?: unknown) {
      if (key.startsWith('act:')) {
        if (mode === 'throw') throw new Error(`injected: KV GET ${key} failed`);
        await new Promise((r) => setTimeout(r, mode.delayMs));
      }
      return env.KV.get(key, type as 'text');
    },
  };
  return faulty as unknown as KVNamespace;
}
