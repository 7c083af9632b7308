/**
 * What the stand-in providers (test/support/enrichment-server.ts) answer, by address: each address one
 * case of the vendors' documented shapes. Shared by the server (Node) and the tests (workerd).
 */
declare module 'vitest' {
  export interface ProvidedContext {
    enrichmentServer: string;
  }
}

export const ENRICH_KEYS = { ipinfo: 'test-ipinfo-token', clearbit: 'test-clearbit-key' } as const;

export interface Scripted {
  status: number;
  body: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

const json = (status: number, value: unknown, extra: Partial<Scripted> = {}): Scripted => ({ status, body: JSON.stringify(value), ...extra });

const reveal = (ip: string, company: Record<string, unknown> | null, over: Record<string, unknown> = {}) => ({
  ip,
  fuzzy: false,
  domain: company?.domain ?? null,
  type: company ? 'company' : 'isp',
  company,
  geoIP: { city: 'San Francisco', state: 'California', stateCode: 'CA', country: 'United States', countryCode: 'US' },
  ...over,
});

const company = (name: string, domain: string, industry: string, metrics: Record<string, unknown>, countryCode = 'US') => ({
  id: `id-${domain}`,
  name,
  legalName: `${name} Inc.`,
  domain,
  category: { sector: 'Financials', industryGroup: 'Diversified Financials', industry, subIndustry: industry, sicCode: '60', naicsCode: '52' },
  geo: { city: 'New York', state: 'New York', country: 'United States', countryCode },
  metrics: { alexaUsRank: null, alexaGlobalRank: null, employees: null, employeesRange: null, marketCap: null, raised: null, annualRevenue: null, ...metrics },
  tech: ['google_apps'],
});

/** Clearbit Reveal, by address. */
export const CLEARBIT = {
  /** an imported account: the provider's fields go under the imported ones */
  imported: '23.10.0.1',
  /** a company nobody imported, a bank of 2,500: firmographic rules still see it */
  newBank: '23.10.0.2',
  isp: '23.10.0.3',
  fuzzy: '23.10.0.4',
  unknown: '23.10.0.5',
  rateLimited: '23.10.0.6',
  serverError: '23.10.0.7',
  slow: '23.10.0.8',
  malformed: '23.10.0.9',
  huge: '23.10.0.10',
  queued: '23.10.0.11',
  wrongShape: '23.10.0.12',
  /** two addresses of one IPv6 /64 */
  v6a: '2600:1f18:1:2::5',
  v6b: '2600:1f18:1:2:ffff::99',
} as const;

/** IPinfo, by address. */
export const IPINFO = {
  business: '23.20.0.1',
  isp: '23.20.0.2',
  vpn: '23.20.0.3',
  rateLimited: '23.20.0.4',
  noCompany: '23.20.0.5',
} as const;

export function scriptedAnswer(provider: 'ipinfo' | 'clearbit', ip: string): Scripted {
  if (provider === 'clearbit') {
    // any address of the /64 (the edge may send an address in its full form)
    if (/^2600:1f18:1:2:/.test(ip)) return json(200, reveal(ip, company('Newco Bank', 'newco-bank.example', 'Banking', { employees: 2500 })));
    switch (ip) {
      case CLEARBIT.imported:
        return json(200, reveal(ip, company('Northwind Bank Corp', 'bank.example', 'Finance', { employeesRange: '1K-5K' }, 'GB')));
      case CLEARBIT.newBank:
      case CLEARBIT.slow:
        return json(200, reveal(ip, company('Newco Bank', 'newco-bank.example', 'Banking', { employees: 2500, employeesRange: '1K-5K' })), { delayMs: ip === CLEARBIT.slow ? 600 : 0 });
      case CLEARBIT.isp:
        return json(200, reveal(ip, null));
      case CLEARBIT.fuzzy:
        return json(200, reveal(ip, company('Maybe Bank', 'maybe-bank.example', 'Banking', { employees: 5000 }), { fuzzy: true }));
      case CLEARBIT.rateLimited:
        return json(429, { error: { type: 'rate_limit', message: 'Rate limit exceeded' } }, { headers: { 'retry-after': '30' } });
      case CLEARBIT.serverError:
        return { status: 500, body: 'upstream error' };
      case CLEARBIT.malformed:
        return { status: 200, body: '{"ip": "23.10.0.9", "company": {"name": ' };
      case CLEARBIT.huge:
        return json(200, reveal(ip, company('Huge Co', 'huge.example', 'Banking', { employees: 5000, padding: 'x'.repeat(200_000) })));
      case CLEARBIT.queued:
        return json(202, { status: 'queued' });
      case CLEARBIT.wrongShape:
        return json(200, [{ company: 'not the documented object' }]);
      default:
        return json(404, { error: { type: 'unknown_record', message: `Unknown IP address: ${ip}` } });
    }
  }
  const asn = (type: string) => ({ asn: 'AS64500', name: 'Example Net', domain: 'example.net', route: '23.20.0.0/16', type });
  switch (ip) {
    case IPINFO.business:
      return json(200, { ip, city: 'Berlin', region: 'Berlin', country: 'DE', loc: '52.5,13.4', org: 'AS64500 Snowy Retail', asn: asn('business'), company: { name: 'Snowy Retail GmbH', domain: 'snow.example', type: 'business' } });
    case IPINFO.isp:
      return json(200, { ip, country: 'US', asn: asn('isp'), company: { name: 'Comcast Cable Communications', domain: 'comcast.net', type: 'isp' } });
    case IPINFO.vpn:
      return json(200, { ip, country: 'NL', asn: asn('hosting'), company: { name: 'Some VPN', domain: 'somevpn.example', type: 'business' }, privacy: { vpn: true, proxy: false, tor: false, relay: false, hosting: true, service: 'SomeVPN' } });
    case IPINFO.rateLimited:
      return json(429, { status: 429, error: { title: 'Rate limit exceeded', message: 'You have exceeded 50000 requests a month.' } });
    default:
      return json(200, { ip, country: 'US', asn: asn('business') });
  }
}
