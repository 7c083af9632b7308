import { type Account, type Confidence, type DecideRequest, NOT_A_COMPANY, type ProviderCompany, type ReasonCode, type ResolutionMethod } from '../../shared/schemas';
import { readIdentify } from '../../shared/links/identify-hash';
import { readLinkParam } from '../../shared/links/signed-link';
import { companyDomain, domainCandidates } from '../../shared/resolve/email';
import { type IpAddress, parseIp } from '../../shared/resolve/ip';
import { networkType } from '../../shared/resolve/networks';
import { ENRICHMENT_BUDGET_MS, type EnrichmentOutcome } from '../enrichment/lookup';
import { domainForIp, domainForOrg, getAccount } from '../kv/accounts';
import { KV_READ_BUDGET_MS, StoreUnavailable } from '../kv/read';

/**
 * All the KV reads of one resolution share this budget, so a store that hangs delays a decision by
 * this much at most, however many ways of knowing the visitor are tried (each read alone is bounded
 * by KV_READ_BUDGET_MS too): with the config read (300 ms) and the activity read (50 ms) a decision stays
 * inside the snippet's 800 ms.
 */
export const RESOLVE_BUDGET_MS = KV_READ_BUDGET_MS;

export interface Signals {
  identity?: DecideRequest['identity'];
  /** `pz_account` from the page URL (an ABM email or ad link): a domain, or a signed link. */
  linkAccount?: string | null;
  /** The visitor's address, used for the lookup only and never stored. */
  ip?: string | null;
  /** `request.cf.asOrganization`: the name of the network the visit comes from. */
  organisation?: string;
  /** `request.cf.asn`: the network's number, which the shipped network list (shared/resolve/networks.ts) knows as an ISP, a carrier or hosting. */
  asn?: number;
  /** The site's enrichment provider, asked for the company behind the IP within the budget given (absent: none). */
  enrich?: (ip: IpAddress, budgetMs: number) => Promise<EnrichmentOutcome>;
  /** Whether the provider's guesses (`fuzzy`) count. */
  acceptFuzzy?: boolean;
  /** How links are read: the key they are signed with (null: none verifies), whether plain domains count, and the time. */
  links?: { secret: string | null; acceptUnsigned: boolean; nowSeconds: number };
  /** Told each domain whose account is about to be read (not for claimed identities), so what is keyed by it can be read alongside. */
  onCandidate?: (domain: string) => void;
}

/** See shared/decision/decide.ts Resolution; here `degraded` is always known. */
export interface Resolution {
  method: ResolutionMethod;
  confidence: Confidence | null;
  account: Account | null;
  /** Methods skipped because the store failed, so the response can say so. */
  degraded: string[];
  /** Why a signal was not used: a link invalid, expired or unsigned with those off; the provider late or failing; a network that is not a company. */
  ignored: ReasonCode[];
}

/** A domain to look up, and for a provider's match what the provider says of the company (used when it is not imported). */
type Found = string | { domain: string; company: Account } | null;
type Attempt = { method: Exclude<ResolutionMethod, 'none'>; confidence: Confidence; findDomain: (budgetMs: number) => Promise<Found> | Found };

/**
 * Tries each way of knowing the visitor's company, most explicit first: identify → link parameter (this
 * page's, then a remembered one) → imported IP ranges → the site's enrichment provider → network organisation.
 * The first that leads to an imported account wins; a provider's company that is not imported still
 * answers, with the provider's fields (an imported one gets them under its own). Consumer ISPs, mobile
 * carriers and hosting networks (the shipped list by ASN, or the provider's network type) are never a
 * company: neither the provider's match nor the organisation name count there. Each carries its
 * confidence: a signed link and the customer's IP ranges are `verified`, the provider's match and the
 * network's name `inferred`, an unsigned link and an
 * identify `claimed` (an identify whose hash the customer's server computed is `verified`,
 * shared/links/identify-hash.ts). A claimed identity that names no imported account still answers as claimed
 * (when nothing else resolves), so the answer does not tell an imported domain from any other.
 */
export async function resolveAccount(kv: KVNamespace, site: string, signals: Signals, budgetMs = RESOLVE_BUDGET_MS): Promise<Resolution> {
  const { identity, ip, organisation } = signals;
  const links = signals.links ?? { secret: null, acceptUnsigned: true, nowSeconds: Math.floor(Date.now() / 1000) };
  const ignored: ReasonCode[] = [];
  const attempts: Attempt[] = [];
  if (identity?.source === 'identify') {
    const said = await readIdentify(identity.domain, site, links.secret);
    if (said.hash === 'invalid') ignored.push('identify-hash-invalid');
    // an email's domain may be a subdomain mailbox: companyDomain normalises it as for any identify
    attempts.push({ method: 'identify', confidence: said.hash === 'verified' ? 'verified' : 'claimed', findDomain: () => companyDomain(said.domain) });
  }
  const link = await readLink(signals.linkAccount || (identity?.source === 'link' ? identity.domain : null), site, links, ignored);
  if (link) attempts.push({ method: 'link', confidence: link.confidence, findDomain: () => companyDomain(link.domain) });
  const address = ip ? parseIp(ip) : null;
  if (address) attempts.push({ method: 'ip', confidence: 'verified', findDomain: (ms) => domainForIp(kv, site, address, ms) });
  // the network is a consumer ISP, a carrier or hosting: no company from the address or the network's name
  let consumerNetwork = NOT_A_COMPANY.has(networkType(signals.asn) ?? 'business');
  const enrich = signals.enrich;
  if (address && enrich && !consumerNetwork)
    attempts.push({
      method: 'enrichment',
      confidence: 'inferred',
      findDomain: async (ms) => {
        const outcome = await enrich(address, Math.min(ms, ENRICHMENT_BUDGET_MS));
        if (outcome.kind === 'late') ignored.push('enrichment-late');
        if (outcome.kind === 'failed') ignored.push('enrichment-failed');
        if (outcome.kind === 'rate-limited') ignored.push('enrichment-rate-limited');
        if (outcome.kind !== 'answer') return null;
        const { answer } = outcome;
        const network = 'company' in answer ? answer.company.network : answer.network;
        if (network && NOT_A_COMPANY.has(network)) {
          consumerNetwork = true;
          return null;
        }
        if (!('company' in answer) || (answer.company.quality === 'fuzzy' && !signals.acceptFuzzy)) return null;
        return { domain: answer.company.domain, company: accountFromProvider(answer.company) };
      },
    });
  if (organisation)
    attempts.push({ method: 'org', confidence: 'inferred', findDomain: (ms) => (consumerNetwork ? null : domainForOrg(kv, site, organisation, ms)) });
  const noteConsumer = () => {
    if (consumerNetwork && (enrich || organisation)) ignored.push('network-not-a-company');
  };

  const degraded: string[] = [];
  let claimed: Attempt | undefined;
  const deadline = Date.now() + budgetMs;
  /** What is left of the budget; none left reads as the store being unavailable. */
  const left = () => {
    const ms = deadline - Date.now();
    if (ms <= 0) throw new StoreUnavailable(`account resolution took over ${budgetMs} ms`);
    return ms;
  };
  for (const attempt of attempts) {
    const { method, confidence, findDomain } = attempt;
    try {
      const found = await findDomain(left());
      if (!found) continue;
      const domain = typeof found === 'string' ? found : found.domain;
      const provided = typeof found === 'string' ? undefined : found.company;
      for (const candidate of domainCandidates(domain)) {
        if (confidence !== 'claimed') signals.onCandidate?.(candidate);
        const account = await getAccount(kv, site, candidate, left());
        if (account) {
          noteConsumer();
          return { method, confidence, account: provided ? mergeProvided(account, provided) : account, degraded, ignored };
        }
      }
      if (provided) return { method, confidence, account: provided, degraded, ignored };
      // looked up and not imported (a lookup that failed says so in `degraded` instead)
      if (confidence === 'claimed') claimed ??= attempt;
    } catch (err) {
      if (!(err instanceof StoreUnavailable)) throw err;
      degraded.push(method);
    }
  }
  noteConsumer();
  if (claimed) return { method: claimed.method, confidence: 'claimed', account: null, degraded, ignored };
  return { method: 'none', confidence: null, account: null, degraded, ignored };
}

/** A provider's company as an account: its fields, the employee range as it said it among the attributes. */
function accountFromProvider(c: ProviderCompany): Account {
  return {
    domain: c.domain,
    name: c.name,
    ...(c.industry && { industry: c.industry }),
    ...(c.employees !== undefined && { employees: c.employees }),
    ...(c.country && { country: c.country }),
    ...(c.employeeRange && { attributes: { employeeRange: c.employeeRange } }),
  };
}

/** An imported account with a provider's fields under it: what was imported wins, field by field. */
function mergeProvided(account: Account, provided: Account): Account {
  const attributes = provided.attributes || account.attributes ? { ...provided.attributes, ...account.attributes } : undefined;
  return { ...provided, ...account, ...(attributes && { attributes }) };
}

/** The domain a link names and how sure that is; null for none, or one to ignore (the reason goes to `ignored`). */
async function readLink(
  value: string | null | undefined,
  site: string,
  links: NonNullable<Signals['links']>,
  ignored: ReasonCode[],
): Promise<{ domain: string; confidence: Confidence } | null> {
  if (!value) return null;
  const param = await readLinkParam(value, site, links.secret, links.nowSeconds);
  if (param.kind === 'signed') return { domain: param.claims.domain, confidence: 'verified' };
  if (param.kind === 'invalid') {
    ignored.push(param.reason);
    return null;
  }
  if (!links.acceptUnsigned) {
    ignored.push('link-unsigned-off');
    return null;
  }
  return { domain: param.domain, confidence: 'claimed' };
}
