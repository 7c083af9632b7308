import type { Account, DecideRequest, ResolutionMethod } from '../../shared/schemas';
import { companyDomain, domainCandidates } from '../../shared/resolve/email';
import { parseIp } from '../../shared/resolve/ip';
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
  /** `pz_account` from the page URL (an ABM email or ad link). */
  linkAccount?: string | null;
  /** The visitor's address, used for the lookup only and never stored. */
  ip?: string | null;
  /** `request.cf.asOrganization`: the name of the network the visit comes from. */
  organisation?: string;
  /** Told each domain whose account is about to be read, so what is keyed by it can be read alongside. */
  onCandidate?: (domain: string) => void;
}

/** See shared/decision/decide.ts Resolution; here `degraded` is always known. */
export interface Resolution {
  method: ResolutionMethod;
  account: Account | null;
  /** Methods skipped because the store failed, so the response can say so. */
  degraded: string[];
}

type Attempt = { method: Exclude<ResolutionMethod, 'none'>; findDomain: (budgetMs: number) => Promise<string | null> | string | null };

/**
 * Tries each way of knowing the visitor's company, most explicit first:
 * identify → link parameter (this page's, then a remembered one) → imported IP ranges → network organisation.
 * The first that leads to an imported account wins.
 */
export async function resolveAccount(kv: KVNamespace, site: string, signals: Signals, budgetMs = RESOLVE_BUDGET_MS): Promise<Resolution> {
  const { identity, linkAccount, ip, organisation } = signals;
  const attempts: Attempt[] = [];
  if (identity?.source === 'identify') attempts.push({ method: 'identify', findDomain: () => companyDomain(identity.domain) });
  if (linkAccount) attempts.push({ method: 'link', findDomain: () => companyDomain(linkAccount) });
  else if (identity?.source === 'link') attempts.push({ method: 'link', findDomain: () => companyDomain(identity.domain) });
  const address = ip ? parseIp(ip) : null;
  if (address) attempts.push({ method: 'ip', findDomain: (ms) => domainForIp(kv, site, address, ms) });
  if (organisation) attempts.push({ method: 'org', findDomain: (ms) => domainForOrg(kv, site, organisation, ms) });

  const degraded: string[] = [];
  const deadline = Date.now() + budgetMs;
  /** What is left of the budget; none left reads as the store being unavailable. */
  const left = () => {
    const ms = deadline - Date.now();
    if (ms <= 0) throw new StoreUnavailable(`account resolution took over ${budgetMs} ms`);
    return ms;
  };
  for (const { method, findDomain } of attempts) {
    try {
      const domain = await findDomain(left());
      if (!domain) continue;
      for (const candidate of domainCandidates(domain)) {
        signals.onCandidate?.(candidate);
        const account = await getAccount(kv, site, candidate, left());
        if (account) return { method, account, degraded };
      }
    } catch (err) {
      if (!(err instanceof StoreUnavailable)) throw err;
      degraded.push(method);
    }
  }
  return { method: 'none', account: null, degraded };
}
