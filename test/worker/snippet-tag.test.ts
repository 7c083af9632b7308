/** The tag a marketer pastes hides every slot, selector slots included, and only slots; selectors that could break out of its rule are refused. */
import { describe, expect, it } from 'vitest';
import { selectorProblem } from '../../shared/content/selector';
import { SiteConfig } from '../../shared/schemas';
import { antiFlickerStyle, snippetTag, tagVersion } from '../../shared/snippet-tag';
import { configFor } from './support/admin';

describe('the tag', () => {
  const config = configFor('tagged', { variants: {}, slots: [{ id: 'h', type: 'text', selector: '.hero h1' }, { id: 'c', type: 'link', selector: '#cta, .cta-alt' }, { id: 'm', type: 'text' }] });

  it('hides the marked slots and each selector slot inside :is(), revealing them itself at the timeout', () => {
    expect(antiFlickerStyle(800, config)).toBe(
      '<style>html:not(.pz-on) [data-pz-slot]{visibility:hidden;animation:pz-show 0s 800ms forwards}' +
        'html:not(.pz-on) :is(.hero h1),html:not(.pz-on) :is(#cta, .cta-alt){visibility:hidden;animation:pz-show 0s 800ms forwards}' +
        '@keyframes pz-show{to{visibility:visible}}</style>',
    );
    expect(antiFlickerStyle(800, { slots: [] })).not.toContain(':is(');
  });

  it('carries a version that changes with the selector slots, not with anything else', () => {
    const tag = snippetTag('https://edge.example', 'tagged', 800, config);
    expect(tag).toContain(`data-site="tagged" data-v="${tagVersion(config)}"`);
    expect(tagVersion(SiteConfig.parse({ ...config, name: 'Renamed', segments: [] }))).toBe(tagVersion(config));
    expect(tagVersion({ slots: config.slots.slice(0, 1) })).not.toBe(tagVersion(config));
    expect(tagVersion(config)).toMatch(/^[a-z0-9]{1,16}$/);
  });
});

describe('slot selectors', () => {
  it.each(['#hero', '.hero > h1', 'main [data-section="proof"] h2', 'a[href*="demo"], button.cta', 'li:nth-child(2)', '#\\31 23'])('accepts %s', (sel) => {
    expect(selectorProblem(sel)).toBeNull();
  });

  it.each([
    ['h1</style><script>alert(1)</script>', 'may not contain'],
    ['h1{color:red}', 'may not contain'],
    ['x), body, (y', 'unbalanced'],
    ['a[href="x', 'unclosed'],
    ['.a, body', 'whole page'],
    ['*', 'whole page'],
    [':root', 'whole page'],
    ['.a,,.b', 'empty part'],
  ])('refuses %s', (sel, why) => {
    expect(selectorProblem(sel)).toContain(why);
  });

  it('is checked by the config schema, naming the slot', () => {
    const parsed = SiteConfig.safeParse({ ...configFor('tagged'), variants: {}, slots: [{ id: 'x', type: 'text', selector: 'body' }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['slots', 0, 'selector']);
  });
});
