import type { Account, DecideRequest, ResolutionMethod } from '../../shared/schemas';
import { companyDomain, domainCandidates } from '../../shared/resolve/email';
import { parseIp } from '../../shared/resolve/ip';
import { domainForIp, domainForOrg, getAccount } from '../store/account-store';
import { StoreUnavailable } from '../store/kv-read';

export interface Signals {
  identity?: DecideRequest['identity'];
  /** `pz_account` from the page URL (an ABM email or ad link). */
  linkAccount?: string | null;
  /** The visitor's address, used for the lookup only and never stored. */
  ip?: string | null;
  /** `request.cf.asOrganization`: the name of the network the visit comes from. */
  organisation?: string;
}

export interface Resolution {
  method: ResolutionMethod;
  account: Account | null;
  /** Methods skipped because the store failed, so the response can say so. */
  degraded: string[];
}

type Attempt = { method: Exclude<ResolutionMethod, 'none'>; findDomain: () => Promise<string | null> | string | null };

/**
 * Tries each way of knowing the visitor's company, most explicit first:
 * identify → link parameter (this page's, then a remembered one) → imported IP ranges → network organisation.
 * The first that leads to an imported account wins.
 */
export async function resolveAccount(kv: KVNamespace, site: string, signals: Signals): Promise<Resolution> {
  const { identity, linkAccount, ip, organisation } = signals;
  const attempts: Attempt[] = [];
  if (identity?.source === 'identify') attempts.push({ method: 'identify', findDomain: () => companyDomain(identity.domain) });
  if (linkAccount) attempts.push({ method: 'link', findDomain: () => companyDomain(linkAccount) });
  else if (identity?.source === 'link') attempts.push({ method: 'link', findDomain: () => companyDomain(identity.domain) });
  const address = ip ? parseIp(ip) : null;
  if (address) attempts.push({ method: 'ip', findDomain: () => domainForIp(kv, site, address) });
  if (organisation) attempts.push({ method: 'org', findDomain: () => domainForOrg(kv, site, organisation) });

  const degraded: string[] = [];
  for (const { method, findDomain } of attempts) {
    try {
      const domain = await findDomain();
      if (!domain) continue;
      for (const candidate of domainCandidates(domain)) {
        const account = await getAccount(kv, site, candidate);
        if (account) return { method, account, degraded };
      }
    } catch (err) {
      if (!(err instanceof StoreUnavailable)) throw err;
      degraded.push(method);
    }
  }
  return { method: 'none', account: null, degraded };
}
