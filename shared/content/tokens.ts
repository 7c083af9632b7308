import type { DecisionInput } from '../decision/context';
import { readField } from '../rules/evaluate';

const TOKEN = /\{\{\s*((?:account|visit)\.[A-Za-z0-9_.]+)\s*(?:\|([^}]*))?\}\}/g;

/**
 * Replaces `{{account.name}}` and `{{account.name|your team}}` with the account's value or the
 * fallback (empty when none is given). `escape` is applied to the substituted value only, for HTML.
 */
export function renderTokens(template: string, input: DecisionInput, escape: (s: string) => string = (s) => s): string {
  if (!template.includes('{{')) return template;
  return template.replace(TOKEN, (_match, field: string, fallback: string | undefined) => {
    const value = readField(input, field);
    const text = Array.isArray(value) ? value.join(', ') : value === undefined ? '' : String(value);
    return escape(text.trim() === '' ? (fallback ?? '').trim() : text);
  });
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
