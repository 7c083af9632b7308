import type { Content, SlotChange } from '../schemas';
import { escapeHtml } from './tokens';

type Proof = Extract<Content, { type: 'proof' }>;

/** Proof point field → element, in figure order (after the logo). */
const PROOF: [keyof Proof['items'][number], string][] = [
  ['quote', 'blockquote'],
  ['author', 'figcaption'],
  ['stat', 'strong'],
  ['label', 'span'],
];

/**
 * Proof points as markup: a `<figure class="pz-proof">` per point, its logo, quote, author, stat and
 * label, every value escaped. The one rendering of proof content for the page: the edge sends it to the
 * snippet as `html` (see wireChanges), edge mode streams it in place, the editor previews with it.
 */
export function proofHtml(content: Proof): string {
  return content.items
    .map((p) => {
      const logo = p.logo ? `<img src="${escapeHtml(p.logo)}" alt="${escapeHtml(p.author ?? '')}">` : '';
      const parts = PROOF.map(([key, tag]) => (p[key] ? `<${tag}>${escapeHtml(String(p[key]))}</${tag}>` : '')).join('');
      return `<figure class="pz-proof">${logo}${parts}</figure>`;
    })
    .join('');
}

/**
 * Changes as the snippet receives them: proof content rendered here, as `html`, so the snippet (whose
 * every byte ships with each page view) needs no renderer of its own. The markup is built from escaped
 * values only, never from a variant's HTML.
 */
export function wireChanges(changes: SlotChange[]): SlotChange[] {
  return changes.map((c) => (c.content?.type === 'proof' ? { ...c, content: { type: 'html', html: proofHtml(c.content) } } : c));
}
