import { proofHtml } from '../../shared/content/proof-html';
import type { Content } from '../../shared/schemas';

/**
 * A slot's content put in place as the HTML streams through HTMLRewriter: the same result as the
 * snippet's `put` (snippet/src/apply.ts). Text is written as text; only `html` content (sanitized by
 * the edge already) is inserted as markup.
 *
 * Link and image content go on the slot itself when it is the `<a>` / `<img>`; on a slot that merely
 * contains one, the caller's `inner` handler (the slot's selector + ` a` / ` img`) puts them on its first.
 */
/** What the slot's own element gets; 'inner' → the content goes on its first `<a>` or `<img>` instead. */
export function putOnSlot(el: Element, content: Content): 'done' | 'inner' {
  const tag = el.tagName.toLowerCase();
  switch (content.type) {
    case 'text':
      el.setInnerContent(content.text);
      return 'done';
    case 'html':
      el.setInnerContent(content.html, { html: true });
      return 'done';
    case 'proof':
      el.setInnerContent(proofHtml(content), { html: true });
      return 'done';
    case 'link':
      if (tag !== 'a') return 'inner';
      putOnInner(el, content);
      return 'done';
    case 'image':
      if (tag !== 'img') return 'inner';
      putOnInner(el, content);
      return 'done';
  }
}

/** Link or image content on the `<a>` / `<img>` it belongs on. */
export function putOnInner(el: Element, content: Extract<Content, { type: 'link' | 'image' }>): void {
  if (content.type === 'link') {
    el.setAttribute('href', content.href);
    el.setInnerContent(content.text);
  } else {
    el.setAttribute('src', content.src);
    el.setAttribute('alt', content.alt);
    el.removeAttribute('srcset');
  }
}
