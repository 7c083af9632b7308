/**
 * Edge mode: the hostnames this Worker serves as a reverse proxy in front of a customer's site, and
 * each one's site, from the `EDGE_HOSTS` variable (`www.example.com=acme,shop.example.com=acme`). Kept in
 * the deploy's configuration, next to the routes that send those hosts here, rather than in KV: a KV
 * outage must never turn a customer's pages into this Worker's 404s.
 */
export function edgeHosts(value: string | undefined): Map<string, string> {
  const hosts = new Map<string, string>();
  for (const pair of (value ?? '').split(',')) {
    const [host, site] = pair.split('=').map((s) => s.trim().toLowerCase());
    if (host && site) hosts.set(host, site);
  }
  return hosts;
}

let parsed: { from: string | undefined; hosts: Map<string, string> } | null = null;

/** The site a request's Host is the edge for, or null when the request is for this Worker itself. */
export function edgeSiteFor(env: { EDGE_HOSTS?: string }, url: URL): string | null {
  if (!parsed || parsed.from !== env.EDGE_HOSTS) parsed = { from: env.EDGE_HOSTS, hosts: edgeHosts(env.EDGE_HOSTS) };
  return parsed.hosts.get(url.host.toLowerCase()) ?? null;
}
