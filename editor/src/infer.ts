import { Content, type ContentType } from '../../shared/schemas';

/** The content type a slot on this element takes: headings and paragraphs text, links and buttons link, images image. */
export function inferType(el: Element): ContentType {
  const tag = el.localName;
  if (/^(h[1-6]|p)$/.test(tag)) return 'text';
  if (tag === 'a' || tag === 'button') return 'link';
  if (tag === 'img' || tag === 'picture') return 'image';
  return el.children.length === 0 ? 'text' : 'html';
}

const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();

/** What the element shows as written, as slot content of `type` (the slot's default); undefined when it does not fit the schema. */
export function contentOf(el: Element, type: ContentType): Content | undefined {
  const img = el.localName === 'img' ? el : el.querySelector('img');
  const link = el.closest('a') ?? el.querySelector('a');
  const content =
    type === 'text'
      ? { type, text: text(el) }
      : type === 'link'
        ? { type, text: text(el), href: link?.getAttribute('href') ?? '#' }
        : type === 'image'
          ? { type, src: img?.getAttribute('src') ?? '', alt: img?.getAttribute('alt') ?? '' }
          : type === 'html'
            ? { type, html: el.innerHTML.trim() }
            : undefined;
  const parsed = Content.safeParse(content);
  return parsed.success ? parsed.data : undefined;
}

/** A slot id from the element's words: "Find Out More" → find-out-more. */
export function slotIdFor(el: Element, taken: Set<string>): string {
  const base =
    text(el)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .split('-')
      .slice(0, 4)
      .join('-') || el.localName;
  let id = base.slice(0, 40).replace(/-+$/, '');
  for (let n = 2; taken.has(id); n++) id = `${base.slice(0, 36)}-${n}`;
  return id;
}

export const labelFor = (el: Element) => text(el).slice(0, 60) || `<${el.localName}>`;
