import type { Arm } from '../schemas/measure';

/** FNV-1a, 32 bits, over UTF-16 code units: small, fast, and the same in every implementation. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * Where a unit falls in [0, 1) for one site and segment. Hashing the first hash again spreads ids that
 * differ only in their last characters (GrowthBook does the same), so shares hold for sequential ids.
 */
export function bucketOf(site: string, segment: string, unit: string): number {
  return (fnv1a32(String(fnv1a32(`${site}:${segment}:${unit}`))) % 10_000) / 10_000;
}

/**
 * The unit a holdout is drawn for: the account when one is resolved (one company, one experience),
 * else the visitor. Without either nobody can be held out consistently, so there is none.
 */
export function assignmentUnit(account: string | undefined, visitor: string | undefined): string | undefined {
  return account ? `a:${account}` : visitor ? `v:${visitor}` : undefined;
}

/** Deterministic and sticky: the same site, segment and unit always get the same arm. */
export function assignArm(site: string, segment: string, unit: string | undefined, holdoutShare: number): Arm {
  if (unit === undefined || holdoutShare <= 0) return 'personalized';
  return bucketOf(site, segment, unit) < holdoutShare ? 'holdout' : 'personalized';
}
