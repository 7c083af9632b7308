import type { SiteConfig } from './schemas/site-config';

/**
 * The markup a marketer pastes into <head>. Its style hides the slots until the snippet has decided
 * (the elements marked `data-pz-slot` and, so that even a first page view never shows their default
 * content, the site's selector slots), and reveals them by itself after `timeoutMs` even if the script
 * never loads, so a broken edge can never leave the page blank. Only slots are hidden, never the page.
 *
 * The selectors are in the tag, so a tag pasted before a selector slot was added does not hide it: the
 * tag carries a version of its hiding rule (`data-v`), the snippet reports it with each decision, and
 * the admin's tag check says when the tag installed on an origin is not the current one.
 */
export const DEFAULT_TIMEOUT_MS = 800;

type Slots = Pick<SiteConfig, 'slots'>;

const selectorSlots = (config?: Slots) => config?.slots.flatMap((s) => (s.selector ? [s.selector] : [])) ?? [];
const hiddenSelectors = (config?: Slots) => ['[data-pz-slot]', ...selectorSlots(config)];

export function antiFlickerStyle(timeoutMs = DEFAULT_TIMEOUT_MS, config?: Slots): string {
  const hide = `{visibility:hidden;animation:pz-show 0s ${timeoutMs}ms forwards}`;
  // Selector slots get a rule of their own, each in a forgiving `:is()` (a selector list keeps its
  // commas to itself, and one selector a browser cannot parse spoils nothing): a browser without
  // `:is()` drops only that rule and still hides the marked slots.
  const selectors = selectorSlots(config).map((s) => `html:not(.pz-on) :is(${s})`);
  return `<style>html:not(.pz-on) [data-pz-slot]${hide}${selectors.length ? selectors.join(',') + hide : ''}@keyframes pz-show{to{visibility:visible}}</style>`;
}

/** A short version of the tag's hiding rule (FNV-1a of its selectors): what `data-v` carries. */
export function tagVersion(config?: Slots): string {
  let hash = 0x811c9dc5;
  for (const ch of hiddenSelectors(config).join('\n')) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

export function snippetTag(edgeOrigin: string, site: string, timeoutMs = DEFAULT_TIMEOUT_MS, config?: Slots): string {
  const timeout = timeoutMs === DEFAULT_TIMEOUT_MS ? '' : ` data-timeout="${timeoutMs}"`;
  return `${antiFlickerStyle(timeoutMs, config)}\n<script async src="${edgeOrigin}/p.js" data-site="${site}" data-v="${tagVersion(config)}"${timeout}></script>`;
}
