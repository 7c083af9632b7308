import type { EnrichmentAnswer, NetworkKind } from '../../shared/schemas';
import { ProviderCompany } from '../../shared/schemas';
import { isObject, type ProviderApi, type ProviderFault, str } from './provider';
import { retryAfterSeconds } from '../http/retry-after';

/** IPinfo's `company.type` / `asn.type` values (https://ipinfo.io/developers/data-types). */
const KINDS: Record<string, NetworkKind> = { business: 'business', education: 'education', isp: 'isp', hosting: 'hosting' };

/**
 * IPinfo, `GET https://ipinfo.io/<ip>/json` with `Authorization: Bearer <token>`: `company` {name,
 * domain, type} (Business plan and up), `asn` {asn, name, domain, route, type}, `privacy` {vpn, proxy,
 * tor, relay, hosting}, `country`; `bogon: true` for private addresses. Errors are `{status, error:
 * {title, message}}`: 403 unknown token, 404 a wrong IP, 429 over the plan's limit.
 */
export const ipinfo: ProviderApi = {
  id: 'ipinfo',
  defaultBase: 'https://ipinfo.io',
  secret: 'IPINFO_TOKEN',
  baseVar: 'IPINFO_API',
  cacheDays: { found: 30, none: 7 },
  request: (ip, key, base) => new Request(`${base}/${encodeURIComponent(ip)}/json`, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' } }),
  read(status, body, headers): EnrichmentAnswer | ProviderFault {
    if (status === 429) return { fault: 'rate-limited', retryAfterSeconds: retryAfterSeconds(headers.get('retry-after'), 60) };
    if (status === 404) return { none: true };
    if (status !== 200) return { fault: 'failed', why: `HTTP ${status}` };
    if (!isObject(body)) return { fault: 'failed', why: 'not a JSON object' };
    if (body.bogon === true) return { none: true };
    const privacy = isObject(body.privacy) ? body.privacy : {};
    if (privacy.vpn === true || privacy.proxy === true || privacy.tor === true || privacy.relay === true || privacy.hosting === true) return { none: true, network: 'hosting' };
    const company = isObject(body.company) ? body.company : null;
    const asn = isObject(body.asn) ? body.asn : null;
    const kind = KINDS[str(company?.type) ?? ''] ?? KINDS[str(asn?.type) ?? ''];
    if (!company || (kind && kind !== 'business' && kind !== 'education')) return kind ? { none: true, network: kind } : { none: true };
    const parsed = ProviderCompany.safeParse({ domain: str(company.domain), name: str(company.name), country: str(body.country), network: kind, quality: 'exact' });
    return parsed.success ? { company: parsed.data } : { none: true, ...(kind && { network: kind }) };
  },
};
