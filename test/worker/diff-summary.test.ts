import { describe, expect, it } from 'vitest';
import { diffSummary, sameContent } from '../../shared/admin/diff-summary';
import { SiteConfig } from '../../shared/schemas';
import { siteConfig } from './support/fixture';

const edit = (changes: Partial<SiteConfig>): SiteConfig => SiteConfig.parse({ ...siteConfig, ...changes });

describe('diffSummary', () => {
  it('describes a first version', () => {
    expect(diffSummary(null, siteConfig)).toBe('first version: 4 segments, 3 slots');
  });

  it('says no change for the same content, whatever the version number', () => {
    const same = { ...siteConfig, version: 99 };
    expect(diffSummary(siteConfig, same)).toBe('segments: no change; slots: no change; variants: no change');
    expect(sameContent(siteConfig, same)).toBe(true);
  });

  it('counts added, removed and changed segments, slots and variants', () => {
    const [customers, fintech, snowflake] = siteConfig.segments;
    const after = edit({
      segments: [
        { ...customers!, priority: 5 },
        { ...fintech!, name: 'Banks' },
        snowflake!,
        { id: 'webinar-2', name: 'Webinar 2', kind: 'context', priority: 60, holdout: 0, rule: { all: [{ field: 'visit.utm_campaign', op: 'equals', value: 'w2' }], any: [] } },
      ],
      slots: [...siteConfig.slots, { id: 'footer', type: 'text' }],
      variants: {
        customers: { headline: { type: 'text', text: 'Hi' }, footer: { type: 'text', text: 'Bye' } },
        fintech: siteConfig.variants.fintech!,
        snowflake: siteConfig.variants.snowflake!,
      },
    });
    expect(diffSummary(siteConfig, after)).toBe(
      'segments: +1 added (webinar-2), -1 removed (webinar), ~2 changed (customers, fintech); ' +
        'slots: +1 added (footer); variants: +1 added (customers/footer), -1 removed (webinar/headline), ~1 changed (customers/headline)',
    );
  });

  it('shortens long lists, and reports reordering and settings', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ id: `extra-${i}`, type: 'text' as const }));
    const after = edit({ slots: [...siteConfig.slots].reverse().concat(many), name: 'Renamed', allowedOrigins: [] });
    expect(diffSummary(siteConfig, after)).toBe(
      'segments: no change; slots: +5 added (extra-0, extra-1, extra-2, +2 more), reordered; variants: no change; settings: name, allowedOrigins changed',
    );
  });

  it('ignores key order but not array order when comparing content', () => {
    const reordered = { ...siteConfig, variants: Object.fromEntries(Object.entries(siteConfig.variants).reverse()) };
    expect(sameContent(siteConfig, reordered)).toBe(true);
    expect(sameContent(siteConfig, { ...siteConfig, segments: [...siteConfig.segments].reverse() })).toBe(false);
  });
});
