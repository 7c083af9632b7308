/**
 * globalSetup of the worker project (vitest.config.ts): a stand-in for HubSpot's CRM v3 companies
 * search on 127.0.0.1 (HubSpot cannot be reached from here), in its documented shapes:
 * `POST /crm/v3/objects/companies/search` with `Authorization: Bearer <private app token>`, a body of
 * `{filterGroups: [{filters: [{propertyName, operator: 'GTE', value}]}], sorts, properties, limit, after}`,
 * answered `{total, results: [{id, properties, createdAt, updatedAt, archived}], paging: {next: {after}}}`;
 * `limit` over 200 and paging past 10,000 results are 400s; more than 4 searches in a second are 429
 * (`errorType: RATE_LIMIT`, `policyName: SECONDLY`); a bad token is 401.
 * Test controls: `POST /__seed {count, from, step, sameAt?}` makes companies, `POST /__touch {ids, at}`
 * modifies some, `POST /__faults {next: [status|'malformed', …]}` scripts the next answers,
 * `POST /__company {id, properties}` adds or replaces one, `GET /__stats` counts requests.
 * Write-back: `POST /crm/v3/objects/companies/batch/update {inputs: [{id, properties}]}` (at most 100;
 * a property the portal does not define, i.e. not in the companies' or `pz_*`, is a 400
 * VALIDATION_ERROR for the whole batch; unknown ids are refused in a 207 with OBJECT_NOT_FOUND errors),
 * which modifies the companies as HubSpot does (hs_lastmodifieddate is now); `GET /__updates` lists them.
 * Pipeline: `POST /crm/v3/objects/deals/search` (the companies' filter, sort, paging and limits; searches
 * of both count against one secondly limit) and `POST /crm/v4/associations/deals/companies/batch/read
 * {inputs: [{id}]}` (1 to 1,000; 100 requests per 10 s) → `{status: 'COMPLETE', results: [{from: {id},
 * to: [{toObjectId, associationTypes: [{category, typeId, label}]}]}]}`, the primary company with types
 * 5 ("Primary") and 341, others with 341; a deal without companies is a 207 with an OBJECT_NOT_FOUND
 * error (subCategory crm.associations.NO_ASSOCIATIONS_FOUND). Controls: `POST /__deals {deals: [{id,
 * properties, companies: [{id, primary?}]}], add?}` replaces (or adds to) the deals, `POST /__touch {ids,
 * at, object: 'deals', set?}` modifies some, `POST /__faults {next, on: 'deals' | 'associations'}`.
 */
import { listenLocal } from './local-server';
import { createServer } from 'node:http';
import type { TestProject } from 'vitest/node';
import { HUBSPOT_TOKEN } from '../worker/support/hubspot-fixture';

interface Company {
  id: string;
  properties: Record<string, string | null>;
}

interface Deal extends Company {
  companies: { id: string; primary?: boolean }[];
}

type Fault = number | 'malformed';
type FaultTarget = 'companies' | 'deals' | 'associations';

export default async function setup(project: TestProject) {
  const standIn = await startHubSpotStandIn(Number(process.env.PZ_HUBSPOT_PORT));
  project.provide('hubspotServer', standIn.origin);
  return standIn.close;
}

/** The stand-in on `port` of 127.0.0.1 (0: a free one). */
export async function startHubSpotStandIn(port = 0): Promise<{ origin: string; close: () => Promise<void> }> {
  let companies: Company[] = [];
  let deals: Deal[] = [];
  const faults: Record<FaultTarget, Fault[]> = { companies: [], deals: [], associations: [] };
  const recent: number[] = [];
  const recentReads: number[] = [];
  const stats = { searches: 0, rateLimited: 0, badRequests: 0, batchUpdates: 0, dealSearches: 0, associationReads: 0, scripted: 0 };
  const updates: { id: string; properties: Record<string, string> }[][] = [];
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      if (path === '/__stats') return json(res, 200, stats);
      if (path === '/__updates') return json(res, 200, updates);
      if (path === '/__seed') {
        const { count, from, step, sameAt } = body as { count: number; from: number; step: number; sameAt?: { index: number; count: number } };
        companies = Array.from({ length: count }, (_, i) => {
          const at = sameAt && i >= sameAt.index && i < sameAt.index + sameAt.count ? from + sameAt.index * step : from + i * step;
          return {
            id: String(1000 + i),
            properties: {
              domain: `company-${i}.example`,
              name: `Company ${i}`,
              industry: i % 2 ? 'Banking' : 'Retail',
              numberofemployees: String(50 + i),
              lifecyclestage: i % 10 === 0 ? 'customer' : 'lead',
              hs_ideal_customer_profile: i % 3 === 0 ? 'tier_1' : null,
              hs_is_target_account: i % 5 === 0 ? 'true' : 'false',
              country: 'United States',
              hs_lastmodifieddate: new Date(at).toISOString(),
            },
          };
        });
        return json(res, 200, { count: companies.length });
      }
      if (path === '/__touch') {
        const { ids, at, object, set } = body as { ids: string[]; at: number; object?: 'deals'; set?: Record<string, string | null> };
        for (const c of object === 'deals' ? deals : companies) if (ids.includes(c.id)) Object.assign(c.properties, set, { hs_lastmodifieddate: new Date(at).toISOString() });
        return json(res, 200, {});
      }
      if (path === '/__deals') {
        const given = body as { deals: Deal[]; add?: boolean };
        const ids = new Set(given.deals.map((d) => d.id));
        deals = [...(given.add ? deals.filter((d) => !ids.has(d.id)) : []), ...given.deals];
        return json(res, 200, { count: deals.length });
      }
      if (path === '/__company') {
        const c = body as unknown as Company;
        companies = [...companies.filter((x) => x.id !== c.id), c];
        return json(res, 200, {});
      }
      if (path === '/__faults') {
        const { next, on } = body as { next: Fault[]; on?: FaultTarget };
        faults[on ?? 'companies'] = next;
        return json(res, 200, {});
      }
      /** A 429 when this request is more than `max` within `windowMs` (`times`: the requests' times so far). */
      const limited = (times: number[], windowMs: number, max: number, policyName: string, name: string) => {
        const now = Date.now();
        while (times.length && times[0]! < now - windowMs) times.shift();
        times.push(now);
        if (times.length <= max) return null;
        stats.rateLimited++;
        return json(res, 429, { status: 'error', message: `You have reached your ${name} limit.`, errorType: 'RATE_LIMIT', correlationId: 'c0ffee', policyName });
      };
      const unauthorized = () => json(res, 401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' });
      /** Answers a scripted fault, if one is due. */
      const faulted = (on: FaultTarget) => {
        const fault = faults[on].shift();
        if (fault !== undefined) stats.scripted++;
        if (fault === 'malformed') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"results": [');
        if (typeof fault === 'number') return json(res, fault, { status: 'error', message: `scripted ${fault}` });
        return null;
      };
      if (path === '/crm/v4/associations/deals/companies/batch/read' && req.method === 'POST') {
        if (req.headers.authorization !== `Bearer ${HUBSPOT_TOKEN}`) return unauthorized();
        if (limited(recentReads, 10_000, 100, 'TEN_SECONDLY_ROLLING', 'ten_secondly_rolling') || faulted('associations')) return;
        const inputs = (body.inputs as { id: string }[]) ?? [];
        if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > 1000) {
          stats.badRequests++;
          return json(res, 400, { status: 'error', message: 'inputs must hold 1 to 1000 ids', category: 'VALIDATION_ERROR' });
        }
        stats.associationReads++;
        const results: unknown[] = [];
        const errors: unknown[] = [];
        for (const { id } of inputs) {
          const linked = deals.find((d) => d.id === id)?.companies ?? [];
          if (!linked.length) {
            errors.push({ status: 'error', category: 'OBJECT_NOT_FOUND', subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND', message: `No company is associated with deal ${id}.`, context: { fromObjectId: [id], fromObjectType: ['deal'], toObjectType: ['company'] } });
            continue;
          }
          const unlabeled = { category: 'HUBSPOT_DEFINED', typeId: 341, label: null };
          results.push({ from: { id }, to: linked.map((c) => ({ toObjectId: Number(c.id), associationTypes: c.primary ? [{ category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' }, unlabeled] : [unlabeled] })) });
        }
        const at = new Date().toISOString();
        const done = { status: 'COMPLETE', results, startedAt: at, completedAt: at };
        return errors.length ? json(res, 207, { ...done, numErrors: errors.length, errors }) : json(res, 200, done);
      }
      if (path === '/crm/v3/objects/companies/batch/update' && req.method === 'POST') {
        if (req.headers.authorization !== `Bearer ${HUBSPOT_TOKEN}`) return unauthorized();
        const inputs = (body.inputs as { id: string; properties: Record<string, string> }[]) ?? [];
        if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > 100) return json(res, 400, { status: 'error', message: 'inputs must hold 1 to 100 records', category: 'VALIDATION_ERROR' });
        const known = new Set(companies.flatMap((c) => Object.keys(c.properties)));
        const undefinedProperty = inputs.flatMap((i) => Object.keys(i.properties)).find((p) => !known.has(p) && !p.startsWith('pz_'));
        if (undefinedProperty)
          return json(res, 400, { status: 'error', message: `Property values were not valid: [{"isValid":false,"message":"Property \"${undefinedProperty}\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"${undefinedProperty}"}]`, category: 'VALIDATION_ERROR' });
        stats.batchUpdates++;
        updates.push(inputs);
        const now = new Date().toISOString();
        const results: unknown[] = [];
        const missing: string[] = [];
        for (const input of inputs) {
          const company = companies.find((c) => c.id === input.id);
          if (!company) {
            missing.push(input.id);
            continue;
          }
          Object.assign(company.properties, input.properties, { hs_lastmodifieddate: now });
          results.push({ id: company.id, properties: company.properties, createdAt: '2024-01-01T00:00:00Z', updatedAt: now, archived: false });
        }
        const done = { status: 'COMPLETE', results, startedAt: now, completedAt: now };
        if (!missing.length) return json(res, 200, done);
        return json(res, 207, { ...done, numErrors: 1, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some COMPANY objects, they may be deleted or not exist.', context: { ids: missing } }] });
      }
      const object = /^\/crm\/v3\/objects\/(companies|deals)\/search$/.exec(path)?.[1] as 'companies' | 'deals' | undefined;
      if (!object || req.method !== 'POST') return json(res, 404, { status: 'error', message: 'not found' });
      stats.searches++;
      if (object === 'deals') stats.dealSearches++;
      if (req.headers.authorization !== `Bearer ${HUBSPOT_TOKEN}`) return unauthorized();
      if (limited(recent, 1000, 4, 'SECONDLY', 'secondly') || faulted(object)) return;
      const limit = Number(body.limit ?? 10);
      const after = Number(body.after ?? 0);
      if (limit > 200 || after + limit > 10_000) {
        stats.badRequests++;
        return json(res, 400, { status: 'error', message: 'There was a problem with the request.', category: 'VALIDATION_ERROR' });
      }
      const filter = (body.filterGroups as { filters: { propertyName: string; operator: string; value: string }[] }[])?.[0]?.filters?.[0];
      const since = filter?.operator === 'GTE' ? Number(filter.value) : 0;
      const wanted = (body.properties as string[]) ?? [];
      const matching = (object === 'deals' ? deals : companies)
        .filter((c) => Date.parse(c.properties.hs_lastmodifieddate!) >= since)
        .sort((a, b) => Date.parse(a.properties.hs_lastmodifieddate!) - Date.parse(b.properties.hs_lastmodifieddate!) || Number(a.id) - Number(b.id));
      const page = matching.slice(after, after + limit);
      const next = after + limit < matching.length ? { next: { after: String(after + limit), link: `?after=${after + limit}` } } : undefined;
      return json(res, 200, {
        total: matching.length,
        results: page.map((c) => ({
          id: c.id,
          properties: Object.fromEntries(wanted.map((p) => [p, c.properties[p] ?? null])),
          createdAt: c.properties.createdate ?? '2024-01-01T00:00:00Z',
          updatedAt: c.properties.hs_lastmodifieddate,
          archived: false,
        })),
        ...(next && { paging: next }),
      });
    });
  });
  return listenLocal(server, port);
}
