import { z } from 'zod';

/** Where an account field a CRM property maps to: a well-known field, or `attributes.<key>`. */
export const AccountTarget = z
  .string()
  .max(80)
  .regex(/^(domain|name|industry|subIndustry|employees|revenueBand|country|region|fundingStage|stage|tier|fitScore|attributes\.[A-Za-z0-9_]{1,60})$/, 'must be an account field (domain, name, industry, employees, country, stage, tier, fitScore…) or attributes.<key>');

/** A HubSpot property's internal name (lower case, digits, underscores). */
export const HubSpotProperty = z.string().regex(/^[a-z0-9_]{1,100}$/, 'must be a HubSpot internal property name');

/**
 * A site's CRM sync (edge/crm/). The private app's token is a deploy secret whose name is given here
 * (default `HUBSPOT_TOKEN`), never the token itself. `mapping`: HubSpot property → account field
 * (absent: shared/crm/hubspot-mapping.ts DEFAULT_HUBSPOT_MAPPING).
 */
export const CrmConfig = z.strictObject({
  provider: z.literal('hubspot'),
  tokenSecret: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{2,60}$/, 'must be the name of a secret, such as HUBSPOT_TOKEN')
    .default('HUBSPOT_TOKEN'),
  mapping: z.record(HubSpotProperty, AccountTarget).optional(),
});
export type CrmConfig = z.infer<typeof CrmConfig>;

/** What the admin shows of a site's sync. */
export const CrmSyncStatus = z.object({
  provider: z.literal('hubspot'),
  /** ISO times: the last run that finished a pass, the last run at all. */
  lastSyncedAt: z.string().nullable(),
  lastRunAt: z.string().nullable(),
  /** Companies modified at or after this (epoch ms) are read by the next run. */
  watermark: z.number().int(),
  running: z.boolean(),
  /** Last pass: companies read, accounts written, records refused. */
  read: z.number().int(),
  written: z.number().int(),
  refused: z.number().int(),
  /** The most recent refusals (at most 50): the record, the field and why. */
  errors: z.array(z.object({ id: z.string(), field: z.string(), message: z.string() })),
  /** The last failure of the CRM itself (rate limit, 5xx, a bad token), if the last run ended on one. */
  lastFailure: z.string().nullable(),
});
export type CrmSyncStatus = z.infer<typeof CrmSyncStatus>;
