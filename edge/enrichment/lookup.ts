import { EnrichmentAnswer, type EnrichmentConfig, type EnrichmentProvider } from '../../shared/schemas';
import type { IpAddress } from '../../shared/resolve/ip';
import type { Env } from '../env';
import { readJsonCapped } from '../http/read-capped';
import { lookupAddress } from './address';
import { clearbit } from './clearbit';
import { ipinfo } from './ipinfo';
import type { ProviderApi, ProviderFault } from './provider';

export const PROVIDERS: Record<EnrichmentProvider, ProviderApi> = { ipinfo, clearbit };

/** How long a decision waits for a company lookup that is not cached: past it, it decides without. */
export const ENRICHMENT_BUDGET_MS = 150;
/** How long a lookup may run on in the background (its answer then serves the next page views). */
const PROVIDER_TIMEOUT_MS = 5_000;
/** Bigger answers are not an answer (IPinfo's and Clearbit's are 1-5 KB). */
const MAX_BODY_BYTES = 64 * 1024;
/** Answers kept in the isolate, in front of KV; the oldest go first. */
const ISOLATE_ENTRIES = 10_000;
const ISOLATE_TTL_MS = 10 * 60_000;

export type EnrichmentOutcome =
  | { kind: 'answer'; answer: EnrichmentAnswer; from: 'isolate' | 'kv' | 'provider' }
  /** Nothing was asked: no provider key, or an address no provider knows a company for. */
  | { kind: 'skipped' }
  | { kind: 'late' }
  | { kind: 'failed' }
  | { kind: 'rate-limited' };

export interface EnrichmentDeps {
  kv: KVNamespace;
  env: Pick<Env, 'IPINFO_TOKEN' | 'CLEARBIT_KEY' | 'IPINFO_API' | 'CLEARBIT_API'>;
  /** Keeps a lookup that outlives the decision running, so its answer is cached. */
  waitUntil: (promise: Promise<unknown>) => void;
}

const isolate = new Map<string, { answer: EnrichmentAnswer; until: number }>();
const inFlight = new Map<string, Promise<EnrichmentAnswer | ProviderFault>>();
/** After a 429 a provider is not asked again from this isolate until then (epoch ms). */
const pausedUntil: Partial<Record<EnrichmentProvider, number>> = {};

/**
 * The company behind `ip` as the site's provider says, within `budgetMs`: from the isolate, else KV
 * (both cache found and not-found answers, for the provider's days), else the provider itself, asked
 * once per address at a time. A lookup past the budget goes on in the background and caches its
 * answer; a throttled provider is left alone for its Retry-After. Never throws.
 */
export async function enrich(deps: EnrichmentDeps, config: EnrichmentConfig, ip: IpAddress, budgetMs = ENRICHMENT_BUDGET_MS): Promise<EnrichmentOutcome> {
  const api = PROVIDERS[config.provider];
  const secret = deps.env[api.secret];
  const address = lookupAddress(ip);
  if (!secret || !address) return { kind: 'skipped' };
  const cacheKey = `enrich:${api.id}:${address.key}`;
  const now = Date.now();

  const held = isolate.get(cacheKey);
  if (held && held.until > now) return { kind: 'answer', answer: held.answer, from: 'isolate' };

  const deadline = now + budgetMs;
  const timer = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), Math.max(0, deadline - Date.now())));
  try {
    const stored = await Promise.race([deps.kv.get(cacheKey, 'json'), timer('late' as const)]);
    if (stored === 'late') return { kind: 'late' };
    const cached = EnrichmentAnswer.safeParse(stored);
    if (cached.success) {
      remember(cacheKey, cached.data);
      return { kind: 'answer', answer: cached.data, from: 'kv' };
    }
  } catch {
    // KV unreadable: ask the provider
  }

  if ((pausedUntil[api.id] ?? 0) > Date.now()) return { kind: 'rate-limited' };
  let pending = inFlight.get(cacheKey);
  if (!pending) {
    pending = ask(api, secret, (deps.env[api.baseVar] || api.defaultBase).replace(/\/+$/, ''), address.send).then(async (result) => {
      if ('fault' in result) {
        if (result.fault === 'rate-limited') pausedUntil[api.id] = Date.now() + result.retryAfterSeconds * 1000;
      } else {
        remember(cacheKey, result);
        const days = 'company' in result ? api.cacheDays.found : api.cacheDays.none;
        await deps.kv.put(cacheKey, JSON.stringify(result), { expirationTtl: days * 86_400 }).catch(() => {});
      }
      return result;
    });
    const settled = pending.finally(() => inFlight.delete(cacheKey));
    inFlight.set(cacheKey, settled);
    deps.waitUntil(settled);
    pending = settled;
  }
  const result = await Promise.race([pending, timer('late' as const)]);
  if (result === 'late') return { kind: 'late' };
  if ('fault' in result) return { kind: result.fault === 'rate-limited' ? 'rate-limited' : 'failed' };
  return { kind: 'answer', answer: result, from: 'provider' };
}

function remember(key: string, answer: EnrichmentAnswer): void {
  if (isolate.size >= ISOLATE_ENTRIES) isolate.delete(isolate.keys().next().value!);
  isolate.set(key, { answer, until: Date.now() + ISOLATE_TTL_MS });
}

/** One request to the provider, read within the size cap: its answer, or what went wrong. */
async function ask(api: ProviderApi, key: string, base: string, ip: string): Promise<EnrichmentAnswer | ProviderFault> {
  try {
    const res = await fetch(api.request(ip, key, base), { signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) });
    const read = await readJsonCapped(res, MAX_BODY_BYTES);
    if (!read) return { fault: 'failed', why: 'answer too large' };
    return api.read(res.status, read.body, res.headers);
  } catch (err) {
    return { fault: 'failed', why: err instanceof Error ? err.name : 'error' };
  }
}

/** Tests: forget what this isolate holds (caches, pauses). */
export function resetEnrichmentIsolate(): void {
  isolate.clear();
  inFlight.clear();
  for (const id of Object.keys(pausedUntil) as EnrichmentProvider[]) delete pausedUntil[id];
}
