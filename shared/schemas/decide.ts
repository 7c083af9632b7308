import { z } from 'zod';
import { Confidence } from './confidence';
import { Content } from './content';
import { Arm, Measure, VisitorId } from './measure';
import { Domain, Id } from './primitives';

export const ResolutionMethod = z.enum(['identify', 'link', 'ip', 'enrichment', 'org', 'none']);
export type ResolutionMethod = z.infer<typeof ResolutionMethod>;

/**
 * Why a decision keeps (some of) the page as written, machine-readable; the human `reason` text is
 * derived from these in one place (shared/decision/reasons.ts).
 */
export const ReasonCode = z.enum([
  'config-unavailable',
  'config-unreadable',
  'no-segment',
  'holdout',
  'account-store-unavailable',
  'preview-invalid',
  'preview-unavailable',
  'preview-segment-missing',
  'preview-account-missing',
  'link-invalid',
  'link-expired',
  'link-unsigned-off',
  'identify-hash-invalid',
  'enrichment-late',
  'enrichment-failed',
  'enrichment-rate-limited',
  'network-not-a-company',
]);
export type ReasonCode = z.infer<typeof ReasonCode>;

/** What the decision knew of the account's (or visitor's) activity: see DecideResponse.behaviour. */
export const BehaviourStatus = z.enum(['ok', 'unavailable', 'off']);
export type BehaviourStatus = z.infer<typeof BehaviourStatus>;

/** Body of `POST /v1/decide`, sent by the snippet on each page view. */
export const DecideRequest = z.strictObject({
  site: Id,
  /** The page's full URL: its path, UTM parameters and `pz_account` link parameter feed the decision. */
  url: z.string().url().max(4096),
  referrer: z.string().max(4096).optional(),
  /** An account remembered first-party by the snippet from an earlier identify or ABM link. */
  identity: z
    .strictObject({
      domain: z.string().max(320),
      source: z.enum(['identify', 'link']),
      /** The visitor's buying-committee role or seniority from `pz('identify', { email, role })` (never the address): rules read it as `visitor.role`. */
      role: z
        .string()
        .max(60)
        .transform((r) => r.trim().toLowerCase())
        .optional(),
    })
    .optional(),
  /** Random first-party visitor id (never derived from the IP). */
  visitor: VisitorId.optional(),
  /** A signed preview token (`pz_preview` of the page URL): decide with the site's draft as a given segment or account. */
  preview: z.string().max(2048).optional(),
  /** The version of the tag's hiding rule (its `data-v`, shared/snippet-tag.ts) and of the snippet: for the admin's tag check. */
  tag: z.string().regex(/^[a-z0-9]{1,16}$/).optional(),
  sv: z.string().regex(/^[a-z0-9]{1,16}$/).optional(),
});
export type DecideRequest = z.infer<typeof DecideRequest>;

export const SlotChange = z.object({
  slot: Id,
  /** CSS selector the snippet applies the content to. */
  selector: z.string(),
  /** Absent in the holdout arm: the slot stays as written, and the snippet only notes it was on screen. */
  content: Content.optional(),
});
export type SlotChange = z.infer<typeof SlotChange>;

export const DecideResponse = z.object({
  site: Id,
  version: z.number().int(),
  method: ResolutionMethod,
  /** How sure the edge is of the company behind `method` (absent with method `none`). */
  confidence: Confidence.optional(),
  /** The company, when the answer may name it: not for a claimed identity unless the segment shown accepts claimed ones. */
  account: z.object({ domain: Domain, name: z.string() }).nullable(),
  segment: z.object({ id: Id, name: z.string() }).nullable(),
  changes: z.array(SlotChange),
  /** Why the page stays as written, when it does: human text derived from `reasons`. */
  reason: z.string().optional(),
  /** The same, machine-readable, in the order the text gives them. */
  reasons: z.array(ReasonCode).optional(),
  /** Decided from a preview link, with the draft: never remember this decision. */
  preview: z.boolean().optional(),
  /**
   * Present when the site has behavioural rules: `ok` they saw the account's (or visitor's) activity;
   * `unavailable` the activity store failed or was slow, so only attribute and visit rules decided;
   * `off` no activity is used for this visitor (Global Privacy Control / Do Not Track, or nobody to key it by).
   */
  behaviour: BehaviourStatus.optional(),
  /** With a segment: `holdout` when this visitor's account (or the visitor) keeps the page as written to measure lift. */
  arm: Arm.optional(),
  /** What the snippet echoes in its events (`POST /v1/events`); absent when this visit is not measured (no segment, a preview). */
  measure: Measure.optional(),
  /** URL goals this page view reaches (`/thank-you*`), to be reported as conversions. */
  goals: z.array(Id).optional(),
});
export type DecideResponse = z.infer<typeof DecideResponse>;

/** Shape of every 4xx answer. */
export const ErrorBody = z.object({
  error: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
