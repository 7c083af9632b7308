import type { Account, ActivityDigest, Arm, BehaviourStatus, Confidence, Measure, ReasonCode, ResolutionMethod, Segment, SiteConfig, SlotChange } from '../schemas';
import { atLeast, requiredConfidence } from '../resolve/confidence';
import { assignArm, assignmentUnit } from '../measure/assign';
import { urlGoalsReached } from '../measure/goals';
import { evaluateRule, pickSegment } from '../rules/evaluate';
import { withFit } from '../rules/fit';
import type { DecisionInput, VisitContext } from './context';
import { selectChanges, slotSelector } from './variants';

/**
 * The whole decision, top to bottom, with no I/O: who the visitor is and what the page knows → the
 * segment → the arm (drawn before anything is rendered) → the changes → what is measured.
 * The edge's decide route, previews, the admin's "segments of this account" and segment counts all
 * call it; nothing else picks a segment. Pinned by the `decide` vectors in test/cases/cases.json.
 */

export interface Resolution {
  method: ResolutionMethod;
  /** How sure the edge is of `account` (or of the claim when no imported account matched it); null with method `none`. */
  confidence: Confidence | null;
  account: Account | null;
  /** Ways of knowing the visitor skipped because the account store failed. */
  degraded?: readonly string[];
}

/** What the activity store answered for this visit; null for a site whose rules read no activity. */
export type ActivityRead = { status: 'ok'; digest: ActivityDigest } | { status: Exclude<BehaviourStatus, 'ok'> } | null;

export interface DecisionContext {
  config: SiteConfig;
  resolution: Resolution;
  visit: VisitContext;
  activity: ActivityRead;
  /** The decision time (epoch ms): behavioural windows count back from it. */
  now: number;
  /**
   * - `visit`: a page view, measured: the holdout is drawn for the account, else for `visitor`;
   *   the answer carries what the snippet reports (none without a visitor id: GPC / DNT).
   * - `preview`: an admin looking at a draft: never measured, nobody held out; `segment` forces one.
   * - `explain`: which segments match (all of them, best first), with nothing rendered.
   */
  mode: 'visit' | 'preview' | 'explain';
  visitor?: string;
  /** The visitor's role as the page's identify said (`visitor.role` in rules). */
  role?: string;
  /** A preview link's segment: shown whatever the rules say (null in the answer if the draft lacks it). */
  segment?: string;
}

export interface Decision {
  segment: Segment | null;
  /**
   * The account the answer may name and measure by: a claimed identity's account only when the segment
   * shown accepts claimed identities (else the answer reveals nothing the claimant could not have typed).
   */
  account: Account | null;
  /** explain mode: every matching segment, best first (ties keep config order). */
  matched?: Segment[];
  arm: Arm | null;
  changes: SlotChange[];
  measure: Measure | null;
  goals: string[];
  behaviour: BehaviourStatus | null;
  /** At most one: why the page stays (partly) as written. */
  reasons: ReasonCode[];
}

export function decide(ctx: DecisionContext): Decision {
  const { config, activity, now } = ctx;
  // the account as rules, content and the answer see it: with its fit score and tier (shared/rules/fit.ts says why here)
  const resolution = { ...ctx.resolution, account: withFit(ctx.resolution.account, config.fit) };
  const visitor = ctx.role ? { role: ctx.role } : undefined;
  const input: DecisionInput = { account: resolution.account, visit: ctx.visit, visitor, now, ...(activity?.status === 'ok' && { activity: activity.digest }) };
  const behaviour = activity?.status ?? null;
  // A segment needing more confidence than the edge has sees the visit without the account (and
  // without the account's activity: a claimed identity's views are the visitor's own, recordedUnderAccount).
  const anonymous: DecisionInput = recordedUnderAccount(resolution) ? { account: null, visit: ctx.visit, visitor } : { ...input, account: null };
  const inputFor = (segment: Segment) => (atLeast(resolution.confidence, requiredConfidence(segment)) ? input : anonymous);

  if (ctx.mode === 'explain') {
    const matched = matchingSegments(config.segments, inputFor);
    return { segment: matched[0] ?? null, account: resolution.account, matched, arm: null, changes: [], measure: null, goals: [], behaviour, reasons: [] };
  }

  const forced = ctx.mode === 'preview' && ctx.segment !== undefined;
  const segment = forced ? (config.segments.find((s) => s.id === ctx.segment) ?? null) : pickSegment(config.segments, inputFor);
  const account = ctx.mode === 'preview' || resolution.confidence !== 'claimed' || (segment && requiredConfidence(segment) === 'claimed') ? resolution.account : null;
  const degraded = (resolution.degraded?.length ?? 0) > 0;
  const missing: ReasonCode = forced ? 'preview-segment-missing' : 'no-segment';
  if (!segment) return { segment, account, arm: null, changes: [], measure: null, goals: [], behaviour, reasons: [degraded ? 'account-store-unavailable' : missing] };

  const shown = forced ? input : inputFor(segment);
  if (ctx.mode === 'preview') return { segment, account, arm: null, changes: selectChanges(config, segment, shown), measure: null, goals: [], behaviour, reasons: degraded ? ['account-store-unavailable'] : [] };

  const unit = account?.domain;
  const arm = assignArm(config.site, segment.id, assignmentUnit(unit, ctx.visitor), segment.holdout);
  // The holdout keeps the page as written: its changes only name the slots that would have changed, unrendered.
  const changes = arm === 'holdout' ? heldOutSlots(config, segment) : selectChanges(config, segment, { ...shown, account });
  const measured = ctx.visitor !== undefined;
  return {
    segment,
    account,
    arm,
    changes,
    measure: measured ? { segment: segment.id, arm, version: config.version, ...(unit && { account: unit }) } : null,
    goals: measured ? urlGoalsReached(config, ctx.visit.path) : [],
    behaviour,
    reasons: degraded ? ['account-store-unavailable'] : arm === 'holdout' ? ['holdout'] : [],
  };
}

/**
 * Whether this visit's views are recorded under (and its activity read from) the account, rather than
 * the anonymous visitor: only for an account resolved at `inferred` confidence or better, so a claimed
 * identity can never move an account into a behavioural segment. The edge records by the same rule.
 */
export const recordedUnderAccount = (resolution: Pick<Resolution, 'account' | 'confidence'>): boolean =>
  resolution.account !== null && atLeast(resolution.confidence, 'inferred');

/** Every segment whose rule holds, lowest priority number first (ties keep config order, as pickSegment does). */
function matchingSegments(segments: readonly Segment[], inputFor: (segment: Segment) => DecisionInput): Segment[] {
  return segments.filter((s) => evaluateRule(s.rule, inputFor(s))).sort((a, b) => a.priority - b.priority);
}

function heldOutSlots(config: SiteConfig, segment: Segment): SlotChange[] {
  const bySlot = config.variants[segment.id] ?? {};
  return config.slots.filter((slot) => bySlot[slot.id]).map((slot) => ({ slot: slot.id, selector: slotSelector(slot) }));
}
