/** Content helpers for the slot and variant editors. */
import type { Content, ContentType, ProofPoint } from '../../shared/schemas';

export const CONTENT_TYPES: { type: ContentType; label: string }[] = [
  { type: 'text', label: 'Text' },
  { type: 'link', label: 'Link (text and address)' },
  { type: 'image', label: 'Image (address and alt text)' },
  { type: 'proof', label: 'Proof points (logos, quotes, stats)' },
  { type: 'html', label: 'HTML (sanitized at the edge)' },
];

export function emptyContent(type: ContentType): Content {
  switch (type) {
    case 'text':
      return { type, text: '' };
    case 'link':
      return { type, text: '', href: '' };
    case 'image':
      return { type, src: '', alt: '' };
    case 'proof':
      return { type, items: [{ quote: '', author: '' }] };
    case 'html':
      return { type, html: '' };
  }
}

const PROOF_KEYS = ['logo', 'quote', 'author', 'stat', 'label'] as const;

/** Drops the proof fields left empty (they are optional; an empty logo URL would be invalid). */
export function tidy(content: Content): Content {
  if (content.type !== 'proof') return content;
  const items = content.items.map((item) => {
    const out: ProofPoint = {};
    for (const k of PROOF_KEYS) if (item[k] !== undefined && item[k]!.trim() !== '') out[k] = item[k];
    return out;
  });
  return { type: 'proof', items };
}

/** Whether nothing was typed: a slot then has no recorded default. */
export function isBlank(content: Content): boolean {
  switch (content.type) {
    case 'text':
      return content.text.trim() === '';
    case 'link':
      return content.text.trim() === '' && content.href.trim() === '';
    case 'image':
      return content.src.trim() === '' && content.alt.trim() === '';
    case 'proof':
      return content.items.every((i) => PROOF_KEYS.every((k) => (i[k] ?? '').trim() === ''));
    case 'html':
      return content.html.trim() === '';
  }
}

/** A short line for the variants grid. */
export function summary(content: Content): string {
  const cut = (s: string) => (s.length > 70 ? `${s.slice(0, 69)}…` : s);
  switch (content.type) {
    case 'text':
      return cut(content.text);
    case 'link':
      return cut(`${content.text} → ${content.href}`);
    case 'image':
      return cut(content.alt || content.src);
    case 'proof':
      return `${content.items.length} proof point${content.items.length === 1 ? '' : 's'}`;
    case 'html':
      return cut(content.html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim());
  }
}
