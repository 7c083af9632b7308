// Placeholder until the allowlist sanitizer lands: escapes everything, so nothing unsafe can pass.
import { escapeHtml } from './tokens';
export function sanitizeHtml(html: string): string {
  return escapeHtml(html);
}
