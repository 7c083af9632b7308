/**
 * The edit token from the page's fragment (`#pz_edit=<token>`). The editor reads its claims only to
 * know the site; the edge checks the signature on every call.
 */
export function tokenFromHash(hash: string): string | null {
  const value = /(?:^#|&)pz_edit=([^&]+)/.exec(hash)?.[1];
  return value ? decodeURIComponent(value) : null;
}

export function siteOf(token: string): string | null {
  try {
    const claims: unknown = JSON.parse(atob(token.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof claims === 'object' && claims !== null && typeof (claims as { site?: unknown }).site === 'string' ? (claims as { site: string }).site : null;
  } catch {
    return null;
  }
}

/** The token leaves the address bar as the editor starts: a reload shows the page as visitors see it (open the edit link again to edit). */
export function dropTokenFromUrl(): void {
  history.replaceState(history.state, '', location.pathname + location.search);
}
