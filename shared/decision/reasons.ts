import type { ReasonCode } from '../schemas';

/** What a reason text may name: the lookups given up, the preview link's segment or account. */
export interface ReasonDetails {
  degraded?: readonly string[];
  segment?: string;
  account?: string;
}

const TEXT: Record<ReasonCode, (d: ReasonDetails) => string> = {
  'config-unavailable': () => 'site configuration unavailable',
  'config-unreadable': () => 'site configuration unreadable',
  'no-segment': () => 'no segment matched',
  holdout: () => 'holdout: this visitor keeps the page as written, to measure the segment against it',
  'account-store-unavailable': (d) => `account store unavailable for: ${(d.degraded ?? []).join(', ')}`,
  'preview-invalid': () => 'preview link invalid or expired',
  'preview-unavailable': () => 'preview unavailable',
  'preview-segment-missing': (d) => `segment "${d.segment}" is not in the draft`,
  'preview-account-missing': (d) => `account "${d.account}" is not imported`,
  'link-invalid': () => 'signed link invalid: ignored',
  'link-expired': () => 'signed link expired: ignored',
  'link-unsigned-off': () => 'unsigned links are off for this site: ignored',
  'identify-hash-invalid': () => 'identify hash does not match: the identify counts as a claim',
  'enrichment-late': () => 'the company lookup did not answer within its budget: decided without it (its answer is cached for later views)',
  'enrichment-failed': () => 'the company lookup failed: decided without it',
  'enrichment-rate-limited': () => 'the company lookup is rate-limited: decided without it',
  'network-not-a-company': () => 'the visit comes from a consumer ISP, mobile carrier or hosting network: no company from the network',
};

/** The one place reason codes become the human `reason` of a decide answer. */
export function reasonText(codes: readonly ReasonCode[], details: ReasonDetails = {}): string | undefined {
  return codes.length ? codes.map((code) => TEXT[code](details)).join('; ') : undefined;
}
