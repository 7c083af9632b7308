import { tagVersion } from '../../shared/snippet-tag';
import { describe, expect, it } from 'vitest';
import { demoPage, demoSignupPage } from '../../edge/demo/page';
import { visitContext, type DecisionInput } from '../../shared/decision/context';
import { demoAccounts, demoLogos, demoPersonas, demoSite, DEMO_LOGO_PATH, personaQuery } from '../../shared/demo/site';
import { evaluateRule, pickSegment } from '../../shared/rules/evaluate';
import { DAY_MS } from '../../shared/rules/behaviour';
import { digestOf } from '../../shared/activity/digest';
import { activityPlan } from '../../shared/activity/plan';
import { Account, Content, isBehavioural, type Segment, SiteConfig } from '../../shared/schemas';

const VISIT = { path: '/' };
/** Context segments only match with their campaign, so membership checks give them one. */
const membershipVisit = { path: '/', utm_campaign: 'q4-webinar' };
/** Behavioural segments only match with activity, so membership checks give every account a busy week. */
const NOW = Date.UTC(2026, 0, 15);
const busyWeek = {
  firstSeen: NOW - 7 * DAY_MS,
  lastSeen: NOW - 60_000,
  views: ['pricing', 'pricing', 'pricing', 'comparison', 'comparison'].map((g, i) => ({ at: NOW - (i + 1) * DAY_MS, visitor: `v${i}xxxxxx`, session: `s${i}`, groups: [g] })),
};
/** "View as" cannot show segments that need activity: they have no persona. */
const needsActivity = (s: Segment) => s.rule.all.some(isBehavioural);

describe('demo site config', () => {
  it('parses, with unique segment priorities so overlaps resolve one way', () => {
    expect(SiteConfig.safeParse(demoSite).success).toBe(true);
    expect(demoSite.site).toBe('demo');
    expect(demoSite.segments.length).toBeGreaterThanOrEqual(6);
    expect(new Set(demoSite.segments.map((s) => s.priority)).size).toBe(demoSite.segments.length);
  });

  it('has a default for every slot, of the slot type', () => {
    for (const slot of demoSite.slots) {
      expect(slot.default, slot.id).toBeDefined();
      expect(slot.default?.type, slot.id).toBe(slot.type);
      expect(Content.safeParse(slot.default).success, slot.id).toBe(true);
    }
  });

  it('gives every segment a variant for headline, subheadline, CTA and proof, of the slot type', () => {
    const slotType = new Map(demoSite.slots.map((s) => [s.id, s.type]));
    for (const segment of demoSite.segments) {
      const bySlot = demoSite.variants[segment.id] ?? {};
      expect(Object.keys(bySlot), segment.id).toEqual(expect.arrayContaining(['hero-headline', 'hero-subheadline', 'hero-cta', 'proof']));
      for (const [slotId, content] of Object.entries(bySlot)) expect(content.type, `${segment.id}/${slotId}`).toBe(slotType.get(slotId));
    }
  });

  it('serves every logo the config references', () => {
    const contents = demoSite.slots.flatMap((s) => (s.default ? [s.default] : [])).concat(Object.values(demoSite.variants).flatMap((v) => Object.values(v)));
    const logos = contents.flatMap((c) => (c.type === 'proof' ? c.items.flatMap((p) => (p.logo ? [p.logo] : [])) : []));
    expect(logos.length).toBeGreaterThan(0);
    for (const logo of logos) {
      expect(logo.startsWith(DEMO_LOGO_PATH), logo).toBe(true);
      expect(demoLogos[logo.slice(DEMO_LOGO_PATH.length)], logo).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>$/);
    }
  });
});

describe('demo accounts', () => {
  it('are valid, with unique domains', () => {
    expect(demoAccounts.length).toBeGreaterThanOrEqual(18);
    for (const a of demoAccounts) expect(Account.safeParse(a).success, a.domain).toBe(true);
    expect(new Set(demoAccounts.map((a) => a.domain)).size).toBe(demoAccounts.length);
  });

  it('give every segment at least two members, and some accounts several segments', () => {
    const busyDigest = digestOf(busyWeek, activityPlan(demoSite).needs);
    for (const segment of demoSite.segments) {
      const members = demoAccounts.filter((account) => evaluateRule(segment.rule, { account, visit: membershipVisit, activity: busyDigest, now: NOW }));
      expect(members.length, segment.id).toBeGreaterThanOrEqual(2);
    }
    const overlapping = demoAccounts.filter(
      (account) => demoSite.segments.filter((s) => s.kind !== 'context' && evaluateRule(s.rule, { account, visit: VISIT })).length >= 2,
    );
    expect(overlapping.length).toBeGreaterThanOrEqual(3);
  });

  it('use only documentation IP ranges, none overlapping', () => {
    const ranges = demoAccounts.flatMap((a) => (a.ipRanges ?? []).map((cidr) => ({ cidr, ...parseCidr(cidr) })));
    expect(ranges.some((r) => r.v6)).toBe(true);
    const docs = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32'].map(parseCidr);
    for (const r of ranges) expect(docs.some((d) => d.v6 === r.v6 && d.start <= r.start && r.end <= d.end), r.cidr).toBe(true);
    for (const [i, a] of ranges.entries())
      for (const b of ranges.slice(i + 1)) expect(a.v6 === b.v6 && a.start <= b.end && b.start <= a.end, `${a.cidr} vs ${b.cidr}`).toBe(false);
  });
});

describe('demo personas', () => {
  it('cover every segment that needs no activity once, plus Anonymous', () => {
    const shown = demoSite.segments.filter((s) => !needsActivity(s));
    expect(demoSite.segments.length - shown.length).toBeGreaterThanOrEqual(1);
    expect(demoPersonas.map((p) => p.segment).sort()).toEqual([null, ...shown.map((s) => s.id)].sort());
  });

  it('each land in their segment by priority, with the visit their link makes', () => {
    for (const p of demoPersonas) {
      const account = p.domain === null ? null : (demoAccounts.find((a) => a.domain === p.domain) ?? null);
      if (p.domain !== null) expect(account, p.label).not.toBeNull();
      const visit = p.utm_campaign ? visitContext(new URL(`http://localhost/${personaQuery(p)}`), undefined, undefined) : VISIT;
      const input: DecisionInput = { account, visit };
      expect(pickSegment(demoSite.segments, input)?.id ?? null, p.label).toBe(p.segment);
    }
  });
});

describe('demo page', () => {
  const html = demoPage({ edgeOrigin: 'http://127.0.0.1:8787', site: 'demo' });

  it('has the snippet tag, every slot, the switcher and the readout', () => {
    expect(html).toContain(`<script async src="http://127.0.0.1:8787/p.js" data-site="demo" data-v="${tagVersion(demoSite)}"></script>`);
    for (const slot of demoSite.slots) expect(html).toContain(`data-pz-slot="${slot.id}"`);
    for (const p of demoPersonas) expect(html).toContain(`href="${personaQuery(p).replace(/&/g, '&amp;')}"`);
    expect(html).toContain('<output id="pz-decision"');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\/(?!127\.0\.0\.1:8787\/p\.js)/);
  });

  it('shows the slot defaults as written', () => {
    expect(html).toContain('>One lakehouse for every team’s data</h1>');
    expect(html).toContain('href="/demo/signup">Start a free trial</a>');
    const security = demoSite.slots.find((s) => s.id === 'security-note')?.default;
    expect(security?.type === 'html' && html.includes(security.html)).toBe(true);
  });

  it('has the readout script and a signup page', () => {
    const script = html.match(/<script>([\s\S]*?)<\/script>/)?.[1] ?? '';
    expect(script).toContain("pz('ready'");
    expect(demoSignupPage()).toContain('Thanks');
  });
});

function parseCidr(cidr: string): { v6: boolean; start: bigint; end: bigint } {
  const [addr = '', bitsText = ''] = cidr.split('/');
  const v6 = addr.includes(':');
  const width = v6 ? 128 : 32;
  const bits = Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) throw new Error(`bad prefix in ${cidr}`);
  const value = v6 ? parseV6(addr) : parseV4(addr);
  const host = (1n << BigInt(width - bits)) - 1n;
  if ((value & host) !== 0n) throw new Error(`${cidr} has host bits set`);
  return { v6, start: value, end: value | host };
}

function parseV4(addr: string): bigint {
  const parts = addr.split('.').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) throw new Error(`bad IPv4 ${addr}`);
  return parts.reduce((acc, n) => (acc << 8n) | BigInt(n), 0n);
}

function parseV6(addr: string): bigint {
  const [head = '', tail] = addr.split('::');
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  if (all.length !== 8 || all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) throw new Error(`bad IPv6 ${addr}`);
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}
