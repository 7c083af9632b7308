/**
 * Whether a slot's CSS selector may go into the tag's hiding rule and the snippet's: one selector list
 * that cannot close the rule or the `:is()` around it (no `<`, `{`, `}`, `;`, balanced brackets and
 * quotes), and whose parts never name the whole page (`html`, `body`, `head`, `:root`, `*`): only slots
 * are ever hidden. Whether it matches exactly one element is the editor's check, on the page.
 */
const WHOLE_PAGE = /^(html|body|head|:root|\*)$/i;

export function selectorProblem(selector: string): string | null {
  if (/[<{};]/.test(selector)) return 'may not contain <, {, } or ;';
  const closing: Record<string, string> = { ')': '(', ']': '[' };
  const open: string[] = [];
  let quote: string | null = null;
  let part = '';
  const parts: string[] = [];
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i]!;
    if (ch === '\\') {
      part += ch + (selector[++i] ?? '');
      continue;
    }
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[') open.push(ch);
    else if (ch === ')' || ch === ']') {
      if (open.pop() !== closing[ch]) return 'has unbalanced brackets';
    } else if (ch === ',' && open.length === 0) {
      parts.push(part);
      part = '';
      continue;
    }
    part += ch;
  }
  if (quote || open.length) return 'has an unclosed quote or bracket';
  parts.push(part);
  if (parts.some((p) => !p.trim())) return 'has an empty part';
  if (parts.some((p) => WHOLE_PAGE.test(p.trim()))) return 'may not select the whole page (html, body, head, :root, *)';
  return null;
}
