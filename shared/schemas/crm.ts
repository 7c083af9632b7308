import { z } from 'zod';

/** Where an account field a CRM property maps to: a well-known field, or `attributes.<key>`. */
export const AccountTarget = z
  .string()
  .max(80)
  .regex(/^(domain|name|industry|subIndustry|employees|revenueBand|country|region|fundingStage|stage|tier|fitScore|attributes\.[A-Za-z0-9_]{1,60})$/, 'must be an account field (domain, name, industry, employees, country, stage, tier, fitScore…) or attributes.<key>');

/** A HubSpot property's internal name (lower case, digits, underscores). */
export const HubSpotProperty = z.string().regex(/^[a-z0-9_]{1,100}$/, 'must be a HubSpot internal property name');

/** A Salesforce field's API name (`Industry`, `NumberOfEmployees`, `Segment__c`). */
export const SalesforceField = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, 'must be a Salesforce field API name, such as Industry or Tier__c');

const secretName = (example: string) =>
  z.string().regex(/^[A-Z][A-Z0-9_]{2,60}$/, `must be the name of a secret, such as ${example}`);

/**
 * Optional write-back: the account's current segment (its id, empty when it is in none) and when it
 * entered it, written to these CRM properties/fields, batched, once per change (edge/crm/write-back.ts).
 * The properties must exist in the CRM (a single-line text and a date-time).
 */
const writeBack = <T extends z.ZodString>(field: T) =>
  z.strictObject({
    segmentField: field,
    enteredAtField: field.optional(),
  });

/** The My Domain login URL of the org: https on Salesforce's hosts; http only to this machine, and only called in development. */
export const SalesforceLoginUrl = z
  .string()
  .trim()
  .regex(/^(https:\/\/[a-z0-9.-]+\.(salesforce|force)\.com|http:\/\/(127\.0\.0\.1|localhost)(:\d{1,5})?)\/?$/i, 'must be your My Domain login URL, https://<domain>.my.salesforce.com')
  .transform((v) => v.replace(/\/$/, ''));

export const HubSpotCrm = z.strictObject({
  provider: z.literal('hubspot'),
  /** The deploy secret holding the private app's token (never the token itself). */
  tokenSecret: secretName('HUBSPOT_TOKEN').default('HUBSPOT_TOKEN'),
  /** HubSpot property → account field (absent: shared/crm/hubspot-mapping.ts DEFAULT_HUBSPOT_MAPPING). */
  mapping: z.record(HubSpotProperty, AccountTarget).optional(),
  writeBack: writeBack(HubSpotProperty).optional(),
  /** Also read deals, for the report's Pipeline (edge/crm/pipeline.ts). */
  pipeline: z.boolean().optional(),
});

export const SalesforceCrm = z.strictObject({
  provider: z.literal('salesforce'),
  loginUrl: SalesforceLoginUrl,
  /** The deploy secrets holding the connected app's consumer key and secret (client-credentials flow). */
  clientIdSecret: secretName('SALESFORCE_CLIENT_ID').default('SALESFORCE_CLIENT_ID'),
  clientSecretSecret: secretName('SALESFORCE_CLIENT_SECRET').default('SALESFORCE_CLIENT_SECRET'),
  /** Salesforce field → account field (absent: shared/crm/salesforce-mapping.ts DEFAULT_SALESFORCE_MAPPING). */
  mapping: z.record(SalesforceField, AccountTarget).optional(),
  writeBack: writeBack(SalesforceField).optional(),
  /** Also read opportunities, for the report's Pipeline (edge/crm/pipeline.ts). */
  pipeline: z.boolean().optional(),
});

/** A site's CRM sync (edge/crm/): HubSpot companies or Salesforce accounts, kept in sync by a Cron Trigger. */
export const CrmConfig = z.discriminatedUnion('provider', [HubSpotCrm, SalesforceCrm]);
export type CrmConfig = z.infer<typeof CrmConfig>;
export type CrmProvider = CrmConfig['provider'];

const Problem = z.object({ id: z.string(), field: z.string(), message: z.string() });

/** What the admin shows of a site's sync. */
export const CrmSyncStatus = z.object({
  provider: z.enum(['hubspot', 'salesforce']),
  /** ISO times: the last run that finished a pass, the last run at all. */
  lastSyncedAt: z.string().nullable(),
  lastRunAt: z.string().nullable(),
  /** Records modified at or after this (epoch ms) are read by the next run. */
  watermark: z.number().int(),
  running: z.boolean(),
  /** Last pass: records read, accounts written, records refused. */
  read: z.number().int(),
  written: z.number().int(),
  refused: z.number().int(),
  /** The most recent refusals (at most 50): the record, the field and why. */
  errors: z.array(Problem),
  /** The last failure of the CRM itself (rate limit, 5xx, a bad token), if the last run ended on one. */
  lastFailure: z.string().nullable(),
  /** Deals / opportunities, when the site reads its pipeline: the last pass (or the one running). */
  pipeline: z
    .object({
      lastSyncedAt: z.string().nullable(),
      running: z.boolean(),
      read: z.number().int(),
      written: z.number().int(),
      /** Written without an account: their company / account is not one the sync brought (yet). */
      unmatched: z.number().int(),
      refused: z.number().int(),
      errors: z.array(Problem),
      lastFailure: z.string().nullable(),
    })
    .optional(),
  /** Write-back of the current segment, when the site has it. */
  writeBack: z
    .object({
      /** Accounts whose segment changed and is not written yet. */
      pending: z.number().int(),
      /** Segment changes written so far. */
      written: z.number().int(),
      lastWrittenAt: z.string().nullable(),
      /** Records the CRM refused on the last attempts (at most 50), retried with the next change or run. */
      errors: z.array(Problem),
      lastFailure: z.string().nullable(),
    })
    .optional(),
});
export type CrmSyncStatus = z.infer<typeof CrmSyncStatus>;
