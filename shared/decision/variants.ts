import type { Content, SiteConfig, Segment, Slot, SlotChange } from '../schemas';
import { escapeHtml, renderTokens } from '../content/tokens';
import { sanitizeHtml } from '../content/sanitize';
import type { DecisionInput } from './context';

export function slotSelector(slot: Slot): string {
  return slot.selector ?? `[data-pz-slot="${slot.id}"]`;
}

/** Fills tokens; HTML variants get escaped token values and then go through the allowlist sanitizer. */
export function renderContent(content: Content, input: DecisionInput): Content {
  const text = (s: string) => renderTokens(s, input);
  switch (content.type) {
    case 'text':
      return { type: 'text', text: text(content.text) };
    case 'link':
      return { type: 'link', text: text(content.text), href: content.href };
    case 'image':
      return { type: 'image', src: content.src, alt: text(content.alt) };
    case 'proof':
      return {
        type: 'proof',
        items: content.items.map((p) => ({
          ...p,
          ...(p.quote !== undefined && { quote: text(p.quote) }),
          ...(p.author !== undefined && { author: text(p.author) }),
          ...(p.stat !== undefined && { stat: text(p.stat) }),
          ...(p.label !== undefined && { label: text(p.label) }),
        })),
      };
    case 'html':
      return { type: 'html', html: sanitizeHtml(renderTokens(content.html, input, escapeHtml)) };
  }
}

/** The slot changes a segment makes; slots without a variant for the segment keep the page as written. */
export function selectChanges(config: SiteConfig, segment: Segment, input: DecisionInput): SlotChange[] {
  const bySlot = config.variants[segment.id] ?? {};
  const changes: SlotChange[] = [];
  for (const slot of config.slots) {
    const content = bySlot[slot.id];
    if (content) changes.push({ slot: slot.id, selector: slotSelector(slot), content: renderContent(content, input) });
  }
  return changes;
}
