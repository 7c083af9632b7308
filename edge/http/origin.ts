/** Whether a browser origin may read a site's decisions: the same origin as the edge, or one the site allows. */
export function originAllowed(origin: string, requestUrl: string, allowed: readonly string[] | null): boolean {
  if (allowed === null) return true;
  if (origin === new URL(requestUrl).origin) return true;
  return allowed.some((pattern) => {
    if (!pattern.endsWith(':*')) return pattern === origin;
    const base = pattern.slice(0, -2);
    return origin === base || (origin.startsWith(`${base}:`) && /^\d{1,5}$/.test(origin.slice(base.length + 1)));
  });
}
