/**
 * Identity stitching (edge/activity/observe-visit.ts stitch): an anonymous visitor's recent views count
 * for the account once the visitor is known by a signed link or a verified identify, once however often
 * it is known again, never for a mere claim.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { resetStitchMemo } from '../../edge/activity/observe-visit';
import { identifyHash, identifySecret } from '../../shared/links/identify-hash';
import { uniqueSite } from './support/admin';
import { activity, behaviourConfig, decideSettled, seedSite, summaryOf } from './support/behaviour';
import { signed } from './support/fixture';
import { WORKER_TEST_LINK_SECRET } from '../support/links';

const viewsOf = async (key: Parameters<typeof summaryOf>[0]) => (await summaryOf(key, { now: Date.now() + 1000, windowDays: 90 })).views;
const pricingViews = async (key: Parameters<typeof summaryOf>[0]) => (await viewsOf(key)).filter((v) => v.groups.includes('pricing')).length;

async function site() {
  const id = uniqueSite('stitch');
  await seedSite(behaviourConfig(id));
  return id;
}

const page = async (site: string, path: string, account?: string) =>
  `https://www.vendor.example${path}${account ? `?pz_account=${await signed(account, site)}` : ''}`;

/** Three pricing views of an anonymous visitor: not yet anyone's. */
async function browseAnonymously(site: string, visitor: string) {
  for (const path of ['/pricing', '/pricing/plans', '/pricing/enterprise']) {
    const d = await decideSettled({ site, url: await page(site, path), visitor });
    expect(d).toMatchObject({ account: null });
  }
}

beforeEach(() => resetStitchMemo());

describe('identity stitching', () => {
  it('counts an anonymous visitor’s pricing views for the account it turns out to be (a signed link): “three pricing views before the form”', async () => {
    const id = await site();
    await browseAnonymously(id, 'visitor-stitch-1');
    // Plain Co matches no attribute segment; its first known view hands over the three anonymous ones
    const first = await decideSettled({ site: id, url: await page(id, '/about', 'plain.example'), visitor: 'visitor-stitch-1' });
    expect(first).toMatchObject({ account: { domain: 'plain.example' }, segment: null });
    // the account's digest (what decisions read) is rewritten at most once a second: a later page view sees it
    let next = first;
    for (let i = 0; i < 30 && next.segment?.id !== 'hot'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      next = await decideSettled({ site: id, url: await page(id, `/blog/${i}`, 'plain.example'), visitor: 'visitor-stitch-1' });
    }
    expect(next).toMatchObject({ account: { domain: 'plain.example' }, segment: { id: 'hot' } });
    expect(await pricingViews({ site: id, domain: 'plain.example' })).toBe(3);
    // the anonymous object is emptied: its views moved
    expect(await viewsOf({ site: id, visitor: 'visitor-stitch-1' })).toHaveLength(0);
  });

  it('merges a visitor once: a handover retried, or the visitor known again elsewhere, adds nothing twice', async () => {
    const id = await site();
    await browseAnonymously(id, 'visitor-stitch-2');
    const handed = await activity({ site: id, visitor: 'visitor-stitch-2' }).handOver();
    expect(handed.map((v) => v.path)).toEqual(['/pricing', '/pricing/plans', '/pricing/enterprise']);
    await decideSettled({ site: id, url: await page(id, '/about', 'plain.example'), visitor: 'visitor-stitch-2' });
    expect(await pricingViews({ site: id, domain: 'plain.example' })).toBe(3);
    // the same handover again (a retry after the account had taken it): nothing added
    const into = { key: { site: id, domain: 'plain.example' }, retentionDays: 90, needs: null };
    expect(await activity({ site: id, domain: 'plain.example' }).absorb(into, handed)).toBe(0);
    // known again from another isolate (no memo): the anonymous object has nothing left to hand over
    resetStitchMemo();
    await decideSettled({ site: id, url: await page(id, '/careers', 'plain.example'), visitor: 'visitor-stitch-2' });
    expect(await pricingViews({ site: id, domain: 'plain.example' })).toBe(3);
  });

  it('merges on a verified identify too, but never on a claim (a plain link or an unverified identify)', async () => {
    const id = await site();
    await browseAnonymously(id, 'visitor-claim');
    const claim = await decideSettled({ site: id, url: 'https://www.vendor.example/about?pz_account=plain.example', visitor: 'visitor-claim' });
    expect(claim).toMatchObject({ method: 'link', confidence: 'claimed' });
    await decideSettled({ site: id, url: await page(id, '/contact'), identity: { domain: 'plain.example', source: 'identify' }, visitor: 'visitor-claim' });
    expect(await viewsOf({ site: id, domain: 'plain.example' })).toHaveLength(0);
    expect(await pricingViews({ site: id, visitor: 'visitor-claim' })).toBe(3);

    const hash = await identifyHash(await identifySecret(WORKER_TEST_LINK_SECRET, id), 'plain.example');
    const verified = await decideSettled({ site: id, url: await page(id, '/contact'), identity: { domain: `plain.example~${hash}`, source: 'identify' }, visitor: 'visitor-claim' });
    expect(verified).toMatchObject({ method: 'identify', confidence: 'verified' });
    expect(await pricingViews({ site: id, domain: 'plain.example' })).toBe(3);
  });

  it('hands over at most the 200 most recent views', async () => {
    const id = await site();
    const stub = activity({ site: id, visitor: 'visitor-many' });
    const now = Date.now();
    for (let i = 0; i < 260; i++) await stub.record({ key: { site: id, visitor: 'visitor-many' }, at: now - (260 - i) * 61_000, visitor: 'visitor-many', path: `/p/${i}`, groups: [], retentionDays: 90 });
    expect(await stub.handOver()).toHaveLength(200);
  });
});
