import { renderContent, slotSelector } from '../../shared/decision/variants';
import type { SiteConfig } from '../../shared/schemas';
import { put, type WireContent } from '../../snippet/src/apply';
import { wireChanges } from '../../shared/content/proof-html';

/**
 * "View as": puts a segment's variants into the page exactly as the snippet will (its own `put`, with
 * content rendered by the edge's renderer and proof points sent as the edge sends them), and puts the page back as written. Restoring moves the
 * original nodes back in place (never copies), so the page's own scripts keep their elements and listeners.
 */

interface Saved {
  el: Element;
  attrs: [string, string][];
  children: Node[];
}

let saved: Saved[] = [];

const snapshot = (el: Element): Saved => ({ el, attrs: Array.from(el.attributes, (a) => [a.name, a.value]), children: Array.from(el.childNodes) });

/** Everything `put` may change: the element, its descendants, and a <picture> around an image. */
function save(el: Element): void {
  const picture = el.closest('picture');
  for (const node of [el, ...Array.from(el.querySelectorAll('*')), ...(picture && picture !== el ? [picture, ...Array.from(picture.children)] : [])])
    if (!saved.some((s) => s.el === node)) saved.push(snapshot(node));
}

/** The page as written again. */
export function restorePage(): void {
  for (const s of saved) {
    for (const a of Array.from(s.el.attributes)) if (!s.attrs.some(([name]) => name === a.name)) s.el.removeAttribute(a.name);
    for (const [name, value] of s.attrs) if (s.el.getAttribute(name) !== value) s.el.setAttribute(name, value);
    s.el.replaceChildren(...s.children);
  }
  saved = [];
}

/** The page as `segment` sees it (null: as written). Tokens show their fallbacks: no account is known here. */
export function showAs(config: SiteConfig, segment: string | null): void {
  restorePage();
  if (!segment) return;
  const input = { account: null, visit: { path: location.pathname } };
  for (const slot of config.slots) {
    const variant = config.variants[segment]?.[slot.id];
    if (!variant) continue;
    let els: Element[];
    try {
      els = Array.from(document.querySelectorAll(slotSelector(slot)));
    } catch {
      continue;
    }
    const [change] = wireChanges([{ slot: slot.id, selector: '', content: renderContent(variant, input) }]);
    for (const el of els) {
      save(el);
      try {
        put(el, change!.content as WireContent);
      } catch {
        // half-typed content (an empty image address…) shows as far as it goes
      }
    }
  }
}
