/**
 * The markup a marketer pastes into <head>. The style hides marked slots until the snippet has
 * decided, and reveals them by itself after `timeoutMs` even if the script never loads, so a
 * broken edge can never leave the page blank.
 */
export const DEFAULT_TIMEOUT_MS = 800;

export function antiFlickerStyle(timeoutMs = DEFAULT_TIMEOUT_MS): string {
  return `<style>html:not(.pz-on) [data-pz-slot]{visibility:hidden;animation:pz-show 0s ${timeoutMs}ms forwards}@keyframes pz-show{to{visibility:visible}}</style>`;
}

export function snippetTag(edgeOrigin: string, site: string, timeoutMs = DEFAULT_TIMEOUT_MS): string {
  const timeout = timeoutMs === DEFAULT_TIMEOUT_MS ? '' : ` data-timeout="${timeoutMs}"`;
  return `${antiFlickerStyle(timeoutMs)}\n<script async src="${edgeOrigin}/p.js" data-site="${site}"${timeout}></script>`;
}
