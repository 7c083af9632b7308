import { z } from 'zod';
import { AlertsConfig, checkAlerts } from './alerts';
import { Confidence } from './confidence';
import { Content, ContentType } from './content';
import { CrmConfig } from './crm';
import { EnrichmentConfig } from './enrichment';
import { Fit } from './fit';
import { Goal } from './measure';
import { Id } from './primitives';
import { type Condition, isBehavioural, Rule } from './rule';
import { selectorProblem } from '../content/selector';

/** Words in a path that ad blockers' lists match (EasyPrivacy's generic rules and the product's own names). */
const BLOCKED_WORDS = /analytic|track|pixel|beacon|collect|stat|metric|ads|advert|tag|telemetry|personali|pz|abm|decide|event/;

/** A new segment holds out 10 % of its accounts (visitors without one) unless told otherwise. */
export const DEFAULT_HOLDOUT = 0.1;

export const SegmentKind = z.enum(['firmographic', 'technographic', 'behavioural', 'intent', 'context']);
export type SegmentKind = z.infer<typeof SegmentKind>;

export const Segment = z.object({
  id: Id,
  name: z.string().trim().min(1).max(100),
  kind: SegmentKind.default('firmographic'),
  /** Lower numbers win when an account matches several segments. */
  priority: z.number().int().min(0).max(10_000),
  rule: Rule,
  /** Share of the segment's visitors who keep the page as written, to measure lift. */
  holdout: z.number().min(0).max(0.5).default(DEFAULT_HOLDOUT),
  /**
   * The least confidence in the visitor's company this segment is shown to (absent: by kind, see
   * shared/resolve/confidence.ts requiredConfidence): a claimed identity never unlocks a segment that needs more.
   */
  minConfidence: Confidence.optional(),
});
export type Segment = z.infer<typeof Segment>;

export const Slot = z.object({
  id: Id,
  label: z.string().max(100).optional(),
  /** CSS selector; when absent the slot is the element marked `data-pz-slot="<id>"`. */
  selector: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .superRefine((sel, ctx) => {
      const problem = selectorProblem(sel);
      if (problem) ctx.addIssue({ code: 'custom', message: `the selector ${problem}` });
    })
    .optional(),
  type: ContentType,
  /** What the page shows as written; used by the admin preview. */
  default: Content.optional(),
});
export type Slot = z.infer<typeof Slot>;

/** Pages behavioural rules count by: a view's path (no query) matched with the rules' glob (`/pricing*`). */
export const PageGroup = z.object({
  id: Id,
  name: z.string().trim().min(1).max(100).optional(),
  patterns: z.array(z.string().trim().min(1).max(300)).min(1).max(50),
});
export type PageGroup = z.infer<typeof PageGroup>;

/** How long page views are kept when a site does not say. */
export const DEFAULT_ACTIVITY_RETENTION_DAYS = 90;

/** `https://www.example.com`, or with `*` as the port for local development (`http://localhost:*`). */
export const AllowedOrigin = z
  .string()
  .max(200)
  .regex(/^https?:\/\/[a-z0-9.-]+(:(\d{1,5}|\*))?$/, 'must be an origin such as https://www.example.com');

export const SiteConfig = z
  .object({
    site: Id,
    name: z.string().max(100),
    version: z.number().int().nonnegative().default(1),
    allowedOrigins: z.array(AllowedOrigin).max(50),
    segments: z.array(Segment).max(50),
    slots: z.array(Slot).max(100),
    /** variants[segmentId][slotId] = content shown to that segment in that slot. */
    variants: z.record(Id, z.record(Id, Content)),
    /** Page groups for behavioural rules (absent: none). */
    pageGroups: z.array(PageGroup).max(50).optional(),
    /** Days page views are kept (absent: 90). Behavioural windows must fit in it. */
    activityRetentionDays: z.number().int().min(1).max(365).optional(),
    /** How accounts without an imported fit score or tier get one (absent: only imported ones; shared/rules/fit.ts). */
    fit: Fit.optional(),
    /**
     * Whether a plain `?pz_account=<domain>` (anyone can type one) still resolves, as a claimed identity
     * (absent: yes). Signed links (shared/links/signed-link.ts) always do.
     */
    unsignedLinks: z.boolean().optional(),
    /** CRM sync: accounts kept in sync from HubSpot by a Cron Trigger (absent: none; edge/crm/). */
    crm: CrmConfig.optional(),
    /** Company lookup by IP address with an enrichment provider (absent: none; edge/enrichment/). */
    enrichment: EnrichmentConfig.optional(),
    /** Conversion goals beyond the built-in `cta` and `submit` (absent: only those). */
    goals: z.array(Goal).max(20).optional(),
    /**
     * Edge mode (edge/edge-mode/proxy.ts): where this Worker, on the customer's own route, fetches the
     * pages it personalizes as they stream. Absent `origin`: the request itself (on a Cloudflare route,
     * the zone's origin). Which hostnames are served this way is the deploy's `EDGE_HOSTS`.
     */
    edge: z
      .strictObject({
        origin: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(300).optional(),
        /**
         * First-party serving: under this path of the customer's own host the snippet (`<prefix>/p.js`) and
         * the public API (`<prefix>/v1/…`) are served too, so ad blockers that drop third-party tags do not.
         * A neutral word: not one blockers list (analytics, track, pixel, beacon, collect, stats, metrics, ads, tag…).
         */
        prefix: z
          .string()
          .regex(/^\/[a-z0-9][a-z0-9_-]{0,30}$/, 'must be a path such as /assets-e: a slash, then lower-case letters, digits, - or _')
          .refine((p) => !BLOCKED_WORDS.test(p), 'must be a neutral word: ad blockers drop paths with analytics, track, pixel, beacon, collect, stat, metric, ads, tag, personaliz…')
          .optional(),
      })
      .optional(),
    /** Sales alerts when an account enters a segment (absent: none; shared/schemas/alerts.ts, edge/alerts/). */
    alerts: AlertsConfig.optional(),
  })
  .superRefine((cfg, ctx) => {
    const segmentIds = new Set(cfg.segments.map((s) => s.id));
    const slots = new Map(cfg.slots.map((s) => [s.id, s]));
    for (const [segmentId, bySlot] of Object.entries(cfg.variants)) {
      if (!segmentIds.has(segmentId)) {
        ctx.addIssue({ code: 'custom', path: ['variants', segmentId], message: `unknown segment "${segmentId}"` });
      }
      for (const [slotId, content] of Object.entries(bySlot)) {
        const slot = slots.get(slotId);
        if (!slot) ctx.addIssue({ code: 'custom', path: ['variants', segmentId, slotId], message: `unknown slot "${slotId}"` });
        else if (slot.type !== content.type)
          ctx.addIssue({
            code: 'custom',
            path: ['variants', segmentId, slotId, 'type'],
            message: `slot "${slotId}" takes ${slot.type} content, not ${content.type}`,
          });
      }
    }
    if (segmentIds.size !== cfg.segments.length)
      ctx.addIssue({ code: 'custom', path: ['segments'], message: 'segment ids must be unique' });
    if (slots.size !== cfg.slots.length) ctx.addIssue({ code: 'custom', path: ['slots'], message: 'slot ids must be unique' });
    if (new Set(cfg.goals?.map((g) => g.id)).size !== (cfg.goals?.length ?? 0))
      ctx.addIssue({ code: 'custom', path: ['goals'], message: 'goal ids must be unique' });
    checkBehaviour(cfg, ctx);
    checkAlerts(cfg, ctx);
  });
export type SiteConfig = z.infer<typeof SiteConfig>;

/** Page group ids are unique; behavioural conditions name known groups and look back no further than the retention. */
function checkBehaviour(
  cfg: { segments: { rule: { all: Condition[]; any: Condition[] } }[]; pageGroups?: PageGroup[]; activityRetentionDays?: number },
  ctx: z.RefinementCtx,
): void {
  const groups = new Set((cfg.pageGroups ?? []).map((g) => g.id));
  if (groups.size !== (cfg.pageGroups ?? []).length) ctx.addIssue({ code: 'custom', path: ['pageGroups'], message: 'page group ids must be unique' });
  const retention = cfg.activityRetentionDays ?? DEFAULT_ACTIVITY_RETENTION_DAYS;
  cfg.segments.forEach((segment, i) => {
    for (const list of ['all', 'any'] as const)
      segment.rule[list].forEach((c, j) => {
        if (!isBehavioural(c)) return;
        const path = ['segments', i, 'rule', list, j];
        if ('group' in c && c.group !== undefined && !groups.has(c.group))
          ctx.addIssue({ code: 'custom', path: [...path, 'group'], message: `unknown page group "${c.group}"` });
        if ('days' in c && c.days !== undefined && c.days > retention)
          ctx.addIssue({ code: 'custom', path: [...path, 'days'], message: `looks back ${c.days} days but activity is kept ${retention} days (activityRetentionDays)` });
      });
  });
}
