import { describe, expect, it } from 'vitest';
import { uniqueSite } from './support/admin';
import { decideFor, fintechAccounts, seedMeasureSite } from './support/measure';

describe('holdout on the decide path', () => {
  it('keeps the page as written for held-out accounts: same slots, no content, a reason, arm holdout', async () => {
    const site = uniqueSite('hold');
    await seedMeasureSite(site);
    const decisions = await Promise.all(fintechAccounts.map((a) => decideFor(site, a.domain, 'visitor-aaaa')));
    const held = decisions.filter((d) => d.arm === 'holdout');
    const shown = decisions.filter((d) => d.arm === 'personalized');
    // 40 accounts at a 50 % share: both arms are there (a 1-in-5e11 chance otherwise, and deterministic anyway)
    expect(held.length).toBeGreaterThan(5);
    expect(shown.length).toBeGreaterThan(5);
    for (const d of held) {
      expect(d.segment?.id).toBe('fintech');
      expect(d.changes.map((c) => c.slot)).toEqual(['headline', 'cta']);
      expect(d.changes.every((c) => c.content === undefined)).toBe(true);
      expect(d.reason).toMatch(/holdout/);
      expect(d.measure).toEqual({ segment: 'fintech', arm: 'holdout', version: 3, account: d.account!.domain, token: expect.stringMatching(/^[0-9a-z]+\.[a-z2-7]{26}$/) });
    }
    for (const d of shown) {
      expect(d.changes[0]!.content).toEqual({ type: 'text', text: `Hello ${d.account!.name}` });
      expect(d.measure).toMatchObject({ segment: 'fintech', arm: 'personalized', version: 3 });
    }
  });

  it('is sticky per account: every visitor of a company, on every page view, gets the same arm', async () => {
    const site = uniqueSite('sticky');
    await seedMeasureSite(site);
    for (const account of fintechAccounts.slice(0, 10)) {
      const arms = new Set<string | undefined>();
      for (const visitor of ['visitor-aaaa', 'visitor-bbbb', 'visitor-cccc', undefined]) arms.add((await decideFor(site, account.domain, visitor)).arm);
      expect(arms.size, account.domain).toBe(1);
    }
  });

  it('holds nobody out at a share of 0, and measures nothing without a segment', async () => {
    const site = uniqueSite('zero');
    await seedMeasureSite(site, 0);
    const decisions = await Promise.all(fintechAccounts.map((a) => decideFor(site, a.domain, 'visitor-aaaa')));
    expect(decisions.every((d) => d.arm === 'personalized' && d.changes[0]?.content !== undefined)).toBe(true);
    const anonymous = await decideFor(site, null, 'visitor-aaaa');
    expect(anonymous.segment).toBeNull();
    expect(anonymous.arm).toBeUndefined();
    expect(anonymous.measure).toBeUndefined();
  });

  it('tells the snippet which URL goals a page view reaches, only for a measured visit', async () => {
    const site = uniqueSite('goal');
    await seedMeasureSite(site);
    const account = fintechAccounts[0]!.domain;
    expect((await decideFor(site, account, 'visitor-aaaa', '/thank-you/demo')).goals).toEqual(['thank-you']);
    expect((await decideFor(site, account, 'visitor-aaaa', '/pricing')).goals).toBeUndefined();
    // no visitor id (Global Privacy Control): the arm still applies, but nothing is measured
    const private_ = await decideFor(site, account, undefined, '/thank-you');
    expect(private_.arm).toBeDefined();
    expect(private_.measure).toBeUndefined();
    expect(private_.goals).toBeUndefined();
  });
});
