import type { Content } from '../../shared/schemas/content';

export const d = document;

/** createElement with properties: `h('img', { src, alt })`. */
export const h = (tag: string, props?: object): any => Object.assign(d.createElement(tag), props);

/** Proof point field → element, in figure order (after the logo). */
const PROOF: Record<string, string> = { quote: 'blockquote', author: 'figcaption', stat: 'strong', label: 'span' };

/** The element's first descendant `tag`, else the element itself (which then is the `tag`, as a rule). */
const find = (el: Element, tag: string): any => el.querySelector(tag) || el;

/**
 * Puts one slot's content into the element. Only `html` content is parsed as markup (the edge
 * sanitized it); everything else goes in as text or attributes.
 */
export const put = (el: Element, c: Content) => {
  if (c.type == 'proof')
    el.replaceChildren(
      ...c.items.map((p: any) => {
        const f = h('figure', { className: 'pz-proof' });
        if (p.logo) f.append(h('img', { src: p.logo, alt: p.author || '' }));
        for (const key in PROOF) if (p[key]) f.append(h(PROOF[key]!, { textContent: p[key] }));
        return f;
      }),
    );
  else if (c.type == 'html') el.innerHTML = c.html;
  else if (c.type == 'image') Object.assign(find(el, 'img'), { src: c.src, alt: c.alt }).removeAttribute('srcset');
  else {
    // text, or link: text and href go on the slot's first <a>, or on the slot itself when it is the <a>.
    const href = (c as any).href;
    const a = (href && find(el, 'a')) || el;
    a.textContent = c.text;
    if (href) a.href = href;
  }
};
