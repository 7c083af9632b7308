import type { EnrichmentAnswer, NetworkKind } from '../../shared/schemas';
import { ProviderCompany } from '../../shared/schemas';
import { employeesFrom, isObject, type ProviderApi, type ProviderFault, str } from './provider';
import { retryAfterSeconds } from '../http/retry-after';

/** Reveal's `type` (https://dashboard.clearbit.com/docs#reveal-api). */
const KINDS: Record<string, NetworkKind> = { company: 'business', education: 'education', government: 'government', isp: 'isp' };

/**
 * Clearbit Reveal (HubSpot), `GET https://reveal.clearbit.com/v1/companies/find?ip=<ip>` with
 * `Authorization: Bearer <key>`: `{ip, fuzzy, domain, type: company|education|government|isp, company:
 * {name, domain, category: {industry}, metrics: {employees, employeesRange}, geo: {countryCode}}}`;
 * 404 `unknown_record` when it knows no company, 422 a bad IP, 202 while a lookup is queued, 429 over
 * the rate limit (with Retry-After), 401/402 key or billing problems.
 */
export const clearbit: ProviderApi = {
  id: 'clearbit',
  defaultBase: 'https://reveal.clearbit.com',
  secret: 'CLEARBIT_KEY',
  baseVar: 'CLEARBIT_API',
  cacheDays: { found: 30, none: 7 },
  request: (ip, key, base) => new Request(`${base}/v1/companies/find?ip=${encodeURIComponent(ip)}`, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' } }),
  read(status, body, headers): EnrichmentAnswer | ProviderFault {
    if (status === 429) return { fault: 'rate-limited', retryAfterSeconds: retryAfterSeconds(headers.get('retry-after'), 60) };
    if (status === 202) return { fault: 'pending' };
    if (status === 404 || status === 422) return { none: true };
    if (status !== 200) return { fault: 'failed', why: `HTTP ${status}` };
    if (!isObject(body)) return { fault: 'failed', why: 'not a JSON object' };
    const kind = KINDS[str(body.type) ?? ''];
    const company = isObject(body.company) ? body.company : null;
    if (!company || (kind && kind !== 'business' && kind !== 'education' && kind !== 'government')) return kind ? { none: true, network: kind } : { none: true };
    const category = isObject(company.category) ? company.category : {};
    const metrics = isObject(company.metrics) ? company.metrics : {};
    const geo = isObject(company.geo) ? company.geo : {};
    const range = str(metrics.employeesRange);
    const exact = typeof metrics.employees === 'number' && Number.isInteger(metrics.employees) && metrics.employees >= 0 ? metrics.employees : undefined;
    const parsed = ProviderCompany.safeParse({
      domain: str(company.domain) ?? str(body.domain),
      name: str(company.name),
      industry: str(category.industry)?.slice(0, 100),
      employees: exact ?? employeesFrom(range),
      employeeRange: range?.slice(0, 50),
      country: str(geo.countryCode),
      network: kind,
      quality: body.fuzzy === true ? 'fuzzy' : 'exact',
    });
    return parsed.success ? { company: parsed.data } : { none: true, ...(kind && { network: kind }) };
  },
};
