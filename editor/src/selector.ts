import { selectorProblem } from '../../shared/content/selector';

/**
 * A selector for one element that survives edits to the page: `#id`, then `[data-*]` attributes,
 * then class names that look hand-written, and only then `:nth-of-type` positions. Every candidate
 * is checked against the page: it must match exactly this element.
 */

/** Hashed (css-1x2y3z, sc-AbCdE, jsx-123) or utility-looking (mt-4, md:flex, w-1/2, text-center) names change or repeat: skip them. */
const UNSTABLE_CLASS = /\d{2,}|[:/[\]!]|^(css|sc|jsx|svelte|emotion|styled)-|^[a-z]{1,3}-\d|^-?[a-z]{1,2}[xytblr]?-|^(text|bg|font|flex|grid|d|m[xytblrse]?|p[xytblrse]?|w|h|col|row|gap|order|align|justify|position|top|start|end|border|rounded|shadow|fw|fs|lh)-/;
const UNSTABLE_ID = /\d{3,}|^[a-z0-9]{16,}$|^(ember|react|radix|headlessui|mui)[-:]/i;
/** data-* attributes the snippet and this editor write, and ones frameworks set per render. */
const SKIPPED_DATA = /^data-(pz-applied|reactid|v-|testid$)/;

export const esc = (s: string) => CSS.escape(s);

const unique = (sel: string, el: Element) => {
  try {
    const found = document.querySelectorAll(sel);
    return found.length === 1 && found[0] === el;
  } catch {
    return false;
  }
};

/** What names this element alone, best first (without its position among siblings); `combined`: all its stable classes at once. */
function ownParts(el: Element, combined = false): string[] {
  const tag = el.localName;
  const parts: string[] = [];
  if (el.id && !UNSTABLE_ID.test(el.id)) parts.push(`#${esc(el.id)}`);
  for (const a of Array.from(el.attributes))
    if (a.name.startsWith('data-') && !SKIPPED_DATA.test(a.name) && a.value.length <= 80 && !/["\\{}<;]/.test(a.value)) parts.push(`${tag}[${a.name}="${a.value}"]`);
  const classes = Array.from(el.classList).filter((c) => !UNSTABLE_CLASS.test(c));
  if (combined) return classes.length > 1 ? [`${tag}${classes.map((c) => `.${esc(c)}`).join('')}`] : [];
  for (const c of classes.slice(0, 3)) parts.push(`${tag}.${esc(c)}`);
  parts.push(tag);
  return parts;
}

const position = (el: Element) => {
  const same = Array.from(el.parentElement?.children ?? []).filter((s) => s.localName === el.localName);
  return same.length > 1 ? `${el.localName}:nth-of-type(${same.indexOf(el) + 1})` : el.localName;
};

/** The robust selector of `el`, or null when even positions cannot name it (it is the page itself). */
export function robustSelector(el: Element): string | null {
  if (el === document.documentElement || el === document.body || el === document.head) return null;
  const own = ownParts(el);
  for (const part of own) if (unique(part, el)) return part;
  // Scoped by an ancestor that names itself (up to four levels up).
  let ancestor = el.parentElement;
  for (let depth = 0; ancestor && ancestor !== document.body && depth < 4; depth++, ancestor = ancestor.parentElement)
    for (const scope of ownParts(ancestor).filter((p) => p !== ancestor!.localName))
      for (const part of own) if (unique(`${scope} ${part}`, el)) return `${scope} ${part}`;
  // Every stable class at once: more brittle (any of them may be renamed), so only now.
  for (const part of ownParts(el, true)) if (unique(part, el)) return part;
  // Positions from the nearest ancestor with a usable id (or body).
  const path: string[] = [];
  for (let node: Element | null = el; node && node !== document.body; node = node.parentElement) {
    if (node !== el && node.id && !UNSTABLE_ID.test(node.id) && unique(`#${esc(node.id)}`, node)) {
      path.unshift(`#${esc(node.id)}`);
      break;
    }
    path.unshift(position(node));
  }
  if (path[0]?.startsWith('#') !== true) path.unshift('body');
  const sel = path.join(' > ');
  return unique(sel, el) ? sel : null;
}

export type SelectorCheck = { ok: true; element: Element } | { ok: false; reason: string };

/** Whether a (typed or generated) selector can be a slot's: valid for the tag, and matching exactly one element. */
export function checkSelector(sel: string): SelectorCheck {
  const trimmed = sel.trim();
  if (!trimmed) return { ok: false, reason: 'Enter a CSS selector.' };
  const problem = selectorProblem(trimmed);
  if (problem) return { ok: false, reason: `The selector ${problem}.` };
  let found: NodeListOf<Element>;
  try {
    found = document.querySelectorAll(trimmed);
  } catch {
    return { ok: false, reason: 'This is not a valid CSS selector.' };
  }
  if (found.length === 0) return { ok: false, reason: 'The selector matches no element on this page.' };
  if (found.length > 1) return { ok: false, reason: `The selector matches ${found.length} elements on this page: a slot must match exactly one. Make it more specific.` };
  return { ok: true, element: found[0]! };
}
