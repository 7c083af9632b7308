/**
 * Erasing one visitor id: its anonymous activity and digest, its views inside accounts' activity (found
 * through the site's activity index and through its measurement rows) with those digests recounted,
 * and its measurement rows in D1 (deleted where it is the unit, anonymised where an account is);
 * another visitor's data stays.
 */
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { type ActivityKey, digestKey } from '../../edge/activity/account-activity';
import { INDEX_PAGE } from '../../edge/admin/visitor-erasure';
import { visitorTag } from '../../shared/activity/digest';
import { ActivityDigest, AuditLog, VisitorErasure } from '../../shared/schemas';
import { admin, adminJson, createSite, uniqueSite } from './support/admin';
import { asMember, grant } from './support/identity';
import { BEHAVIOUR_NEEDS, HOUR_MS, behaviourConfig, recordActivity, summaryOf } from './support/behaviour';

const GONE = 'visitor-gone1';
const KEPT = 'visitor-kept1';
const day = () => new Date().toISOString().slice(0, 10);

/** One exposure (raw event and roll-up) of `visitor`, for an account or (null) as its own unit; a conversion for the unit. */
async function seedMeasurement(site: string, visitor: string, account: string | null) {
  const unit = account ? `a:${account}` : `v:${visitor}`;
  const batch = `b-${crypto.randomUUID()}`;
  await env.EVENTS_DB.batch([
    env.EVENTS_DB.prepare(
      `INSERT INTO events (site, batch, idx, delivery, day, received_at, type, segment, arm, version, goal, unit, account, visitor)
       VALUES (?1, ?2, 0, 'd', ?3, 0, 'exposure', 'hot', 'personalized', 1, '', ?4, ?5, ?6)`,
    ).bind(site, batch, day(), unit, account, visitor),
    env.EVENTS_DB.prepare(`INSERT INTO exposures (site, segment, arm, day, version, unit, visitor, account, n) VALUES (?1, 'hot', 'personalized', ?2, 1, ?3, ?4, ?5, 1)`).bind(
      site, day(), unit, visitor, account,
    ),
    env.EVENTS_DB.prepare(
      `INSERT INTO conversions (site, segment, arm, goal, day, version, unit, n) VALUES (?1, 'hot', 'personalized', 'cta', ?2, 1, ?3, 1) ON CONFLICT DO UPDATE SET n = n + 1`,
    ).bind(site, day(), unit),
  ]);
}

const count = async (site: string, table: string, where: string, ...params: unknown[]) =>
  (await env.EVENTS_DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE site = ?1 AND ${where}`).bind(site, ...params).first<{ n: number }>())!.n;

const indexed = async (site: string) => (await env.SITE_STORE.getByName(site).activeAccountsPage(site, '', 1000))!.domains;

const viewers = async (key: ActivityKey) => (await summaryOf(key, { now: Date.now(), windowDays: 90 })).views.map((v) => v.visitor).sort();

const digestIn = async (key: ActivityKey) => {
  const text = await env.KV.get(digestKey(key), 'text');
  return text === null ? null : ActivityDigest.parse(JSON.parse(text));
};

/** Waits (up to 5 s: at most one digest write a second) until the KV digest of `key` satisfies `done`. */
async function digestWhen(key: ActivityKey, done: (d: ActivityDigest | null) => boolean) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const digest = await digestIn(key);
    if (done(digest)) return digest;
    if (Date.now() > deadline) throw new Error(`digest of ${digestKey(key)}: ${JSON.stringify(digest)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('DELETE /api/admin/sites/:site/visitors/:visitor', () => {
  it('erases the visitor’s anonymous activity, its views in accounts and its measurement; another visitor’s stays', async () => {
    const site = uniqueSite('verase');
    await createSite(site, behaviourConfig(site));
    const now = Date.now();
    const view = (visitor: string, hoursAgo: number) => ({ at: now - hoursAgo * HOUR_MS, visitor });
    const anonymous = (visitor: string) => ({ site, visitor });
    const account = (domain: string) => ({ site, domain });

    for (const visitor of [GONE, KEPT]) await recordActivity(anonymous(visitor), [view(visitor, 5), view(visitor, 4)]);
    await recordActivity(account('bank.example'), [view(GONE, 3), view(KEPT, 2), view(GONE, 1)]);
    await recordActivity(account('snow.example'), [view(GONE, 2)]); // only the erased visitor's views
    await recordActivity(account('plain.example'), [view(GONE, 3), view(KEPT, 1)]);
    // an account the index no longer lists (its announcement lost): found through the visitor's measurement
    await env.SITE_STORE.getByName(site).forgetActivity(site, 'plain.example');
    for (const visitor of [GONE, KEPT]) {
      await seedMeasurement(site, visitor, null);
      await seedMeasurement(site, visitor, 'bank.example');
    }
    await seedMeasurement(site, GONE, 'plain.example');
    expect((await digestIn(account('bank.example')))!.visitors.seen.map(([tag]) => tag)).toContain(visitorTag(GONE));

    const erased = VisitorErasure.parse(await adminJson('DELETE', `/sites/${site}/visitors/${GONE}`));
    expect(erased).toEqual({
      site,
      visitor: GONE,
      anonymousViews: 2,
      accounts: { checked: 3, changed: 3, views: 4 },
      measurement: { deleted: { events: 1, exposures: 1, conversions: 1 }, anonymised: { events: 2, exposures: 2 } },
      next: null,
    });

    // its anonymous activity and digest are gone; the other visitor's stay
    expect(await viewers(anonymous(GONE))).toEqual([]);
    expect(await digestIn(anonymous(GONE))).toBeNull();
    expect(await viewers(anonymous(KEPT))).toEqual([KEPT, KEPT]);
    expect(await digestIn(anonymous(KEPT))).not.toBeNull();

    // inside accounts only the other visitor's views are left, and the digests are recounted without it
    expect(await viewers(account('bank.example'))).toEqual([KEPT]);
    expect(await viewers(account('plain.example'))).toEqual([KEPT]);
    const bank = await digestWhen(account('bank.example'), (d) => !d?.visitors.seen.some(([tag]) => tag === visitorTag(GONE)));
    expect(bank!.visitors.seen.map(([tag]) => tag)).toEqual([visitorTag(KEPT)]);
    expect(bank!.views.pricing!.t).toEqual([now - 2 * HOUR_MS]);
    // an account left with no views empties: no digest, no place in the index
    expect(await viewers(account('snow.example'))).toEqual([]);
    expect(await digestIn(account('snow.example'))).toBeNull();
    expect(await indexed(site)).toEqual(['bank.example']);

    // D1 knows the visitor no more; the account's measurement counts as before, the other visitor's rows stay
    for (const table of ['events', 'exposures']) expect(await count(site, table, 'visitor = ?2', GONE), table).toBe(0);
    for (const table of ['events', 'exposures', 'conversions']) {
      expect(await count(site, table, 'unit = ?2', `v:${GONE}`), table).toBe(0);
      expect(await count(site, table, 'unit = ?2', `v:${KEPT}`), table).toBe(1);
    }
    expect(await count(site, 'events', 'unit = ?2', 'a:bank.example')).toBe(2);
    expect(await count(site, 'exposures', "unit = ?2 AND visitor LIKE 'erased:%'", 'a:bank.example')).toBe(1);
    const distinct = await env.EVENTS_DB.prepare('SELECT COUNT(DISTINCT visitor) AS n FROM exposures WHERE site = ?1 AND unit = ?2').bind(site, 'a:bank.example').first<{ n: number }>();
    expect(distinct!.n).toBe(2);
    expect(await count(site, 'conversions', 'unit = ?2', 'a:bank.example')).toBe(1);

    // asking again erases nothing more
    const again = VisitorErasure.parse(await adminJson('DELETE', `/sites/${site}/visitors/${GONE}`));
    expect(again).toMatchObject({ anonymousViews: 0, accounts: { changed: 0, views: 0 }, measurement: { deleted: { events: 0, exposures: 0, conversions: 0 }, anonymised: { events: 0, exposures: 0 } } });
    expect(BEHAVIOUR_NEEDS.visitors).toBeGreaterThan(0); // the digests above do carry visitor tags
  });

  it(`looks in the indexed accounts ${INDEX_PAGE} at a time, continuing with ?after=`, async () => {
    const site = uniqueSite('verase');
    await createSite(site, behaviourConfig(site));
    const domains = Array.from({ length: INDEX_PAGE + 5 }, (_, i) => `a-${String(i).padStart(4, '0')}.example`);
    await runInDurableObject(env.SITE_STORE.getByName(site), (_, state) => {
      for (const domain of domains) state.storage.sql.exec('INSERT INTO active_accounts (domain, last_seen) VALUES (?, ?)', domain, Date.now());
    });
    const first = VisitorErasure.parse(await adminJson('DELETE', `/sites/${site}/visitors/${GONE}`));
    expect(first).toMatchObject({ accounts: { checked: INDEX_PAGE, changed: 0 }, next: domains[INDEX_PAGE - 1] });
    const rest = VisitorErasure.parse(await adminJson('DELETE', `/sites/${site}/visitors/${GONE}?after=${first.next}`));
    expect(rest).toMatchObject({ accounts: { checked: 5 }, next: null });
  });

  it('needs the admin token, a valid visitor id and a known site', async () => {
    const site = uniqueSite('verase');
    await createSite(site);
    expect((await admin('DELETE', `/sites/${site}/visitors/${GONE}`, undefined, { token: null })).status).toBe(401);
    for (const [path, field] of [
      [`/sites/${site}/visitors/short`, 'visitor'],
      [`/sites/${site}/visitors/not%20a%20visitor%20id`, 'visitor'],
      [`/sites/${site}/visitors/${'v'.repeat(65)}`, 'visitor'],
      [`/sites/${site}/visitors/${GONE}?after=not_a_domain`, 'after'],
    ] as const) {
      const res = await admin('DELETE', path);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { issues: { path: string }[] }).issues.map((i) => i.path), path).toEqual([field]);
    }
    expect((await admin('DELETE', `/sites/${uniqueSite('none')}/visitors/${GONE}`)).status).toBe(404);
  });

  it('is for owners only, and the audit trail records the erasure without the id it erased', async () => {
    const site = uniqueSite('verase-role');
    await createSite(site);
    await grant(`editor@${site}.example`, site, 'editor');
    expect((await asMember(`editor@${site}.example`, 'DELETE', `/sites/${site}/visitors/${GONE}`)).status).toBe(403);
    await adminJson('DELETE', `/sites/${site}/visitors/${GONE}`);
    const { entries } = AuditLog.parse(await adminJson('GET', `/sites/${site}/audit`));
    expect(entries[0]).toMatchObject({ action: `DELETE /sites/${site}/visitors/(erased)`, detail: 'one visitor erased' });
    expect(JSON.stringify(entries)).not.toContain(GONE);
  });
});
