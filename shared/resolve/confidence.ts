import type { Confidence, Segment, SegmentKind } from '../schemas';
import { isBehavioural, isIntent } from '../schemas';

const RANK: Record<Confidence, number> = { claimed: 0, inferred: 1, verified: 2 };

/** Whether what the edge knows (`have`; null: nobody) is at least `need`. */
export const atLeast = (have: Confidence | null, need: Confidence): boolean => have !== null && RANK[have] >= RANK[need];

/**
 * By kind: where the account is, what it buys (lifecycle stage, open deals, intent) and what it did
 * (behaviour) need at least a network-level inference; attributes anyone could look up (firmographic,
 * technographic) and the visit's own context may be shown to a claimed identity.
 */
export const DEFAULT_MIN_CONFIDENCE: Record<SegmentKind, Confidence> = {
  firmographic: 'claimed',
  technographic: 'claimed',
  context: 'claimed',
  intent: 'inferred',
  behavioural: 'inferred',
};

/**
 * The confidence a segment needs: its own `minConfidence`, else by kind; a rule with behavioural or
 * intent conditions needs `inferred` at least, whatever its kind: what a company researches is bought
 * data about it, not to be shown to whoever types its domain into a link.
 */
export function requiredConfidence(segment: Pick<Segment, 'kind' | 'minConfidence' | 'rule'>): Confidence {
  if (segment.minConfidence) return segment.minConfidence;
  const byKind = DEFAULT_MIN_CONFIDENCE[segment.kind];
  const guarded = [...segment.rule.all, ...segment.rule.any].some((c) => isBehavioural(c) || isIntent(c));
  return guarded && byKind === 'claimed' ? 'inferred' : byKind;
}
