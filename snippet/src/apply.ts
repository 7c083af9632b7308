import type { Content } from '../../shared/schemas/content';

/** Content as the edge sends it: proof points arrive rendered, as `html` (shared/content/proof-html.ts). */
export type WireContent = Exclude<Content, { type: 'proof' }>;

export const d = document;

/** createElement with properties: `h('img', { src, alt })`. */
export const h = (tag: string, props?: object): any => Object.assign(d.createElement(tag), props);

/** The element's first descendant `tag`, else the element itself (which then is the `tag`, as a rule). */
const find = (el: Element, tag: string): any => el.querySelector(tag) || el;

/**
 * Puts one slot's content into the element. Only `html` content is parsed as markup (the edge
 * sanitized it, or built it from escaped proof points); everything else goes in as text or attributes.
 * One expression, for bytes: `a` is a scratch variable (the image, or the element that takes the text),
 * never passed.
 */
export const put = (el: Element, c: WireContent, a?: any) =>
  c.type == 'html'
    ? (el.innerHTML = c.html)
    : c.type == 'image'
      ? // Inside a <picture>, a matching <source srcset> would win over the new src: drop the sources
        // (and the image's own srcset), so the new src is what displays.
        ((a = find(el, 'img')).closest('picture')?.replaceChildren(a), Object.assign(a, { src: c.src, alt: c.alt }).removeAttribute('srcset'))
      : // text, or link: text and href go on the slot's first <a>, or on the slot itself when it is the <a>.
        (((a = ((c as any).href && find(el, 'a')) || el).textContent = c.text), (c as any).href && (a.href = (c as any).href));
