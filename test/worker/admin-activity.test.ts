import { describe, expect, it } from 'vitest';
import { AccountActivityReport, SegmentCounts, VersionInfo } from '../../shared/schemas';
import { admin, adminJson, createSite, uniqueSite } from './support/admin';
import { DAY_MS, HOUR_MS, behaviourConfig, decideSettled, recordViews } from './support/behaviour';
import { accounts, signed } from './support/fixture';

/** A site with behavioural segments and the fixture accounts, created and published through the admin. */
async function behaviourSite() {
  const site = uniqueSite('act');
  const draft = await createSite(site, behaviourConfig(site));
  await adminJson('POST', `/sites/${site}/accounts/import`, { rows: accounts });
  VersionInfo.parse(await adminJson('POST', `/sites/${site}/publish`, { baseRevision: draft.revision }));
  return site;
}

describe('GET /api/admin/sites/:site/accounts/:domain/activity', () => {
  it('reports the account’s activity by window and its current segments, with no visitor ids', async () => {
    const site = await behaviourSite();
    const now = Date.now();
    await recordViews({ site, domain: 'plain.example' }, [
      { at: now - 20 * DAY_MS, visitor: 'visitor-a1', path: '/docs/old', groups: ['docs'] },
      { at: now - 3 * DAY_MS, visitor: 'visitor-a1', path: '/pricing' },
      { at: now - 2 * HOUR_MS, visitor: 'visitor-b2', path: '/pricing/enterprise' },
    ]);
    await decideSettled({ site, url: `https://www.vendor.example/pricing?pz_account=${await signed('plain.example', site)}`, visitor: 'visitor-c3' });

    const report = AccountActivityReport.parse(await adminJson('GET', `/sites/${site}/accounts/plain.example/activity`));
    expect(report).toMatchObject({ site, domain: 'plain.example', retentionDays: 90, firstSeen: new Date(now - 20 * DAY_MS).toISOString() });
    expect(report.windows.map((w) => [w.days, w.views, w.visitors, w.byGroup.pricing ?? 0])).toEqual([
      [1, 2, 2, 2],
      [7, 3, 3, 3],
      [30, 4, 3, 3],
      [90, 4, 3, 3],
    ]);
    expect(report.recent.map((v) => v.path)).toEqual(['/pricing', '/pricing/enterprise', '/pricing', '/docs/old']);
    expect(report.segments).toMatchObject({ source: 'live', winner: 'hot', matched: [{ id: 'hot', priority: 20 }] });
    expect(JSON.stringify(report)).not.toMatch(/visitor-/);
  });

  it('answers an account without activity, 404 for an unknown account or site, 400 for a bad domain', async () => {
    const site = await behaviourSite();
    const empty = AccountActivityReport.parse(await adminJson('GET', `/sites/${site}/accounts/bank.example/activity`));
    expect(empty).toMatchObject({ firstSeen: null, lastSeen: null, recent: [], segments: { winner: 'fintech' } });
    expect((await admin('GET', `/sites/${site}/accounts/nobody.example/activity`)).status).toBe(404);
    expect((await admin('GET', `/sites/${uniqueSite('none')}/accounts/bank.example/activity`)).status).toBe(404);
    expect((await admin('GET', `/sites/${site}/accounts/not_a_domain/activity`)).status).toBe(400);
    expect((await admin('GET', `/sites/${site}/accounts/bank.example/activity`, undefined, { token: null })).status).toBe(401);
  });
});

describe('segment counts with behavioural rules', () => {
  it('count behavioural segments from the activity of the accounts in the site’s activity index', async () => {
    const site = await behaviourSite();
    const now = Date.now();
    // plain: 3 pricing views → hot; snow: 2 people in a week → team (it is also still a snowflake user); bank: 1 view
    await recordViews({ site, domain: 'plain.example' }, [1, 2, 3].map((d) => ({ at: now - d * DAY_MS })));
    await recordViews({ site, domain: 'snow.example' }, [{ at: now - DAY_MS, visitor: 'visitor-a1' }, { at: now - HOUR_MS, visitor: 'visitor-b2', path: '/' }]);
    await recordViews({ site, domain: 'bank.example' }, [{ at: now - HOUR_MS }]);
    const counts = SegmentCounts.parse(await adminJson('GET', `/sites/${site}/segments/counts`));
    expect(counts).toEqual({
      counts: { customers: 1, fintech: 2, snowflake: 2, webinar: 0, hot: 1, team: 1 },
      total: 4,
      activity: { accounts: 3, unavailable: 0, truncated: false },
    });
  });
});
