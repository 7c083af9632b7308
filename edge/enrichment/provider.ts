import type { EnrichmentAnswer, EnrichmentProvider } from '../../shared/schemas';

/** A provider's answer that is not one: throttled (with how long to wait), still being looked up, or broken. */
export type ProviderFault = { fault: 'rate-limited'; retryAfterSeconds: number } | { fault: 'pending' } | { fault: 'failed'; why: string };

/**
 * One reverse-IP company API, in its own documented shapes: how to ask, and how to read its answer.
 * Everything else (the time budget, the caches, the network gate) is the same for all (lookup.ts).
 */
export interface ProviderApi {
  id: EnrichmentProvider;
  /** Where its API lives; the deploy may point it elsewhere (tests: a local stand-in). */
  defaultBase: string;
  /** The deploy's secret holding the API key, and the variable that may move its API (tests: a local stand-in). */
  secret: 'IPINFO_TOKEN' | 'CLEARBIT_KEY';
  baseVar: 'IPINFO_API' | 'CLEARBIT_API';
  /** Days an answer is cached: a company found, and none (vendors bill per lookup, repeats included). */
  cacheDays: { found: number; none: number };
  request(ip: string, key: string, base: string): Request;
  /** Reads a response already size-checked and parsed (`body` undefined: not JSON). */
  read(status: number, body: unknown, headers: Headers): EnrichmentAnswer | ProviderFault;
}

/** "251-1K" → 251, "1K-5K" → 1000, "100K+" → 100000, "1,000 - 4,999" → 1000: the range's lower bound. */
export function employeesFrom(range: string | undefined): number | undefined {
  const m = range?.replace(/,/g, '').match(/(\d+(?:\.\d+)?)\s*([kKmM])?/);
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2]?.toLowerCase() === 'k' ? 1_000 : m[2]?.toLowerCase() === 'm' ? 1_000_000 : 1);
  return Number.isFinite(n) ? Math.round(n) : undefined;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
