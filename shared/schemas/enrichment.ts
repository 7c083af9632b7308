import { z } from 'zod';
import { Domain } from './primitives';

/** The reverse-IP company lookups the edge can ask (edge/enrichment/). */
export const EnrichmentProvider = z.enum(['ipinfo', 'clearbit']);
export type EnrichmentProvider = z.infer<typeof EnrichmentProvider>;

/**
 * A site's company lookup by IP. The provider's API key is the deploy's secret (`IPINFO_TOKEN`,
 * `CLEARBIT_KEY`), never in the config. Matches count as `inferred` at most; a provider's guess
 * (Clearbit's `fuzzy`) counts only with `accept: 'fuzzy'`.
 */
export const EnrichmentConfig = z.strictObject({
  provider: EnrichmentProvider,
  accept: z.enum(['exact', 'fuzzy']).default('exact'),
});
export type EnrichmentConfig = z.infer<typeof EnrichmentConfig>;

/** What kind of network an address is on, as a provider (or the shipped network list) says. */
export const NetworkKind = z.enum(['business', 'education', 'government', 'isp', 'mobile', 'hosting']);
export type NetworkKind = z.infer<typeof NetworkKind>;

/** Networks that are never a company: a consumer ISP, a mobile carrier, hosting, cloud or a VPN. */
export const NOT_A_COMPANY: ReadonlySet<NetworkKind> = new Set(['isp', 'mobile', 'hosting']);

/** A company a provider found for an address, in the account's terms. */
export const ProviderCompany = z.object({
  domain: Domain,
  name: z.string().trim().min(1).max(200),
  industry: z.string().max(100).optional(),
  /** The lower bound of the provider's employee range (rules compare numbers), and the range as it said it. */
  employees: z.number().int().nonnegative().optional(),
  employeeRange: z.string().max(50).optional(),
  country: z.string().length(2).toUpperCase().optional(),
  network: NetworkKind.optional(),
  /** `fuzzy`: the provider's guess from nearby addresses, not a match of this one. */
  quality: z.enum(['exact', 'fuzzy']),
});
export type ProviderCompany = z.infer<typeof ProviderCompany>;

/** A provider's answer as cached: a company, or none (with the network's kind when it said). */
export const EnrichmentAnswer = z.union([
  z.object({ company: ProviderCompany }),
  z.object({ none: z.literal(true), network: NetworkKind.optional() }),
]);
export type EnrichmentAnswer = z.infer<typeof EnrichmentAnswer>;
