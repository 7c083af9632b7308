import { z } from 'zod';
import { Account } from './account';
import { VisitorId } from './measure';
import { Domain, Id } from './primitives';
import { AllowedOrigin, SiteConfig } from './site-config';

/**
 * The admin API contract (`/api/admin/*`, `Authorization: Bearer <ADMIN_TOKEN>`), shared by the
 * Worker's admin routes, the Preact admin UI and the tests.
 */

/** The editable draft; `revision` increases on every save and guards against lost updates. */
export const Draft = z.object({ revision: z.number().int().nonnegative(), config: SiteConfig, updatedAt: z.string(), updatedBy: z.string() });
export type Draft = z.infer<typeof Draft>;

export const VersionInfo = z.object({
  version: z.number().int().positive(),
  publishedAt: z.string(),
  publishedBy: z.string(),
  summary: z.string(),
  /** Set when this version re-published an earlier one. */
  rolledBackFrom: z.number().int().optional(),
});
export type VersionInfo = z.infer<typeof VersionInfo>;

/** GET /api/admin/sites/:site */
export const SiteState = z.object({
  site: Id,
  draft: Draft,
  live: VersionInfo.nullable(),
  /** Whether the draft differs from the live version. */
  unpublished: z.boolean(),
  /** When the site was archived: not served (decisions answer "unknown site", pages stay as written); null while served. */
  archivedAt: z.string().nullable(),
  /** The markup to paste, for this edge's origin. */
  tag: z.string(),
});
export type SiteState = z.infer<typeof SiteState>;

/** PUT /api/admin/sites/:site/draft → SiteState; 409 StaleWrite when baseRevision is not the current revision. */
export const SaveDraftRequest = z.strictObject({ baseRevision: z.number().int().nonnegative(), config: SiteConfig });
export const StaleWrite = z.object({ error: z.literal('stale'), message: z.string(), current: Draft });

/** POST /api/admin/sites/:site/archive → SiteState: `true` stops serving the site, `false` serves its live version again. */
export const ArchiveRequest = z.strictObject({ archived: z.boolean() });

/** POST /api/admin/sites/:site/publish → VersionInfo (409 StaleWrite as above). */
export const PublishRequest = z.strictObject({ baseRevision: z.number().int().nonnegative() });

/** GET /api/admin/sites/:site/versions → { versions: VersionInfo[] } newest first. */
/** POST /api/admin/sites/:site/rollback → VersionInfo of the new version that re-publishes `version`. */
export const RollbackRequest = z.strictObject({ version: z.number().int().positive() });

/**
 * GET /api/admin/sites/:site/segments/counts → { counts: { [segmentId]: number }, total } over the draft's segments.
 * When the draft has behavioural rules, `activity` says how they were counted: with the activity of
 * the `accounts` most recently active (from the site's index of accounts with activity; every other
 * account has none), `unavailable` of which could not be read, `truncated` when more were active.
 */
export const SegmentCounts = z.object({
  counts: z.record(Id, z.number().int()),
  total: z.number().int(),
  activity: z.object({ accounts: z.number().int(), unavailable: z.number().int(), truncated: z.boolean() }).optional(),
});
export type SegmentCounts = z.infer<typeof SegmentCounts>;

/** Page views, distinct visitors, sessions and views per page group over the last `days` days. */
export const ActivityWindow = z.object({
  days: z.number().int(),
  views: z.number().int(),
  visitors: z.number().int(),
  sessions: z.number().int(),
  byGroup: z.record(Id, z.number().int()),
});

/**
 * GET /api/admin/sites/:site/accounts/:domain/activity → AccountActivityReport: the account's recorded
 * activity (no visitor ids: visitors are counted, sessions are random ids) and the segments it is in
 * now, on a plain page view, by the live version's rules (the draft's before the first publish).
 */
export const AccountActivityReport = z.object({
  site: Id,
  domain: Domain,
  asOf: z.string(),
  retentionDays: z.number().int(),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  /** Over the last 1, 7 and 30 days and the whole retention. */
  windows: z.array(ActivityWindow),
  /** The newest views, newest first (at most 50). */
  recent: z.array(z.object({ at: z.string(), path: z.string(), groups: z.array(Id), session: z.string() })),
  segments: z.object({
    source: z.enum(['live', 'draft']),
    version: z.number().int(),
    /** Every segment the account matches, winner first (by priority). */
    matched: z.array(z.object({ id: Id, name: z.string(), kind: z.string(), priority: z.number().int() })),
    winner: Id.nullable(),
  }),
});
export type AccountActivityReport = z.infer<typeof AccountActivityReport>;

export const ImportRejection = z.object({ row: z.number().int(), field: z.string(), reason: z.string() });
export type ImportRejection = z.infer<typeof ImportRejection>;

/**
 * POST /api/admin/sites/:site/accounts/import: a chunk of at most 500 rows (the UI splits files and
 * shows progress). `firstRow` numbers the rows in the report. Valid rows are written, invalid ones
 * reported per row; a chunk is all-or-nothing for its valid rows.
 * Also accepts `Content-Type: text/csv` (at most 2 MB) for API clients.
 */
export const ImportChunk = z.strictObject({ rows: z.array(z.unknown()).min(1).max(500), firstRow: z.number().int().nonnegative().default(0) });
export const ImportResult = z.object({ accepted: z.number().int(), rejected: z.array(ImportRejection) });
export type ImportResult = z.infer<typeof ImportResult>;

/** A KV write set aside after failing `attempts` times in a row, failing since `since`; it no longer holds up other writes. */
export const StuckWrite = z.object({ key: z.string(), attempts: z.number().int(), lastError: z.string(), since: z.string() });
export type StuckWrite = z.infer<typeof StuckWrite>;

/**
 * GET /api/admin/sites/:site/read-copy → ReadCopyStatus: how far the edge's KV read copy is behind
 * the system of record. KV takes one write per key per second and 1,000 operations per invocation,
 * so a large import reaches the edge over some seconds.
 */
export const ReadCopyStatus = z.object({
  /** KV writes queued, those waiting out their key's rate limit or backoff included. */
  pending: z.number().int(),
  /** Of those, keys whose last attempt failed, to be tried again. */
  retrying: z.number().int(),
  /** The oldest stuck writes (at most 100); `stuckTotal` counts them all. */
  stuck: z.array(StuckWrite),
  stuckTotal: z.number().int(),
});
export type ReadCopyStatus = z.infer<typeof ReadCopyStatus>;

/** POST /api/admin/sites/:site/read-copy/retry (no body) → ReadCopyRetry: every stuck write queued again, then flushed. */
export const ReadCopyRetryRequest = z.strictObject({});
export const ReadCopyRetry = ReadCopyStatus.extend({ requeued: z.number().int() });
export type ReadCopyRetry = z.infer<typeof ReadCopyRetry>;

/**
 * GET /api/admin/sites/:site/accounts?q=&limit=&after= → AccountPage (search by domain or name prefix/substring).
 * `fit`: with a fit formula in the draft, each listed account's fit score and tier as the draft gives them
 * (an imported value is the account's own); the accounts themselves are as stored.
 */
export const AccountPage = z.object({
  accounts: z.array(Account),
  next: z.string().nullable(),
  total: z.number().int(),
  fit: z.record(z.string(), z.object({ fitScore: z.number(), tier: z.number().int() })).optional(),
});
export type AccountPage = z.infer<typeof AccountPage>;
/** GET|PUT|DELETE /api/admin/sites/:site/accounts/:domain (PUT body: Account). */
/** GET /api/admin/sites/:site/accounts/export → text/csv of every account. */

/**
 * DELETE /api/admin/sites/:site/visitors/:visitor?after= → VisitorErasure: erases what is kept about one
 * visitor id (the snippet's, validated as the public routes do). The accounts of the site's activity
 * index are visited a page at a time: while `next` is not null, call again with `?after=<next>`.
 * Repeating an erasure is harmless: what is gone counts 0.
 */
export const VisitorErasureQuery = z.object({ after: Domain.optional() });
export const VisitorErasure = z.object({
  site: Id,
  visitor: VisitorId,
  /** Its own anonymous activity (kept while no account was resolved): views erased; the object and its digest are gone. */
  anonymousViews: z.number().int(),
  /** Its views inside accounts' activity: accounts looked in, accounts it had views in (their digests are recounted), views erased. */
  accounts: z.object({ checked: z.number().int(), changed: z.number().int(), views: z.number().int() }),
  /** Measurement rows in D1: deleted where the visitor is the unit; anonymised where the unit is an account (see edge/admin/visitor-erasure.ts). */
  measurement: z.object({
    deleted: z.object({ events: z.number().int(), exposures: z.number().int(), conversions: z.number().int() }),
    anonymised: z.object({ events: z.number().int(), exposures: z.number().int() }),
  }),
  /** More indexed accounts to look in: call again with `?after=<next>`; null when every one was. */
  next: z.string().nullable(),
});
export type VisitorErasure = z.infer<typeof VisitorErasure>;

/** POST /api/admin/sites/:site/preview → PreviewLink: view the DRAFT as a segment or an account. */
export const PreviewRequest = z
  .strictObject({
    segment: Id.optional(),
    account: Domain.optional(),
    /** The page to open; defaults to the demo page. */
    pageUrl: z.string().url().max(2048).optional(),
    /** How long the link works: an hour unless said (links are meant for a look now), a day at most (a review across time zones). */
    ttlSeconds: z.number().int().min(60).max(86_400).default(3600),
  })
  .refine((r) => (r.segment === undefined) !== (r.account === undefined), 'give exactly one of segment or account');
export const PreviewLink = z.object({ url: z.string(), token: z.string(), expiresAt: z.string() });
export type PreviewLink = z.infer<typeof PreviewLink>;

/** POST /api/admin/sites/:site/preview/revoke (no body) → PreviewRevocation: every link issued before `revokedBefore` stops working; links made afterwards work. */
export const PreviewRevocation = z.object({ revokedBefore: z.string() });
export type PreviewRevocation = z.infer<typeof PreviewRevocation>;

/**
 * POST /api/admin/sites/:site/links → SignedLinks (JSON) or, with `format: "csv"`, a CSV of
 * `domain,name,url`: signed ABM links (shared/links/signed-link.ts) to paste into email and ad tools.
 * Without `domains`, one per imported account (CSV only: a list can be long).
 */
export const SignedLinksRequest = z
  .strictObject({
    /** The landing page the links open, e.g. https://www.example.com/pricing?utm_source=email. */
    url: z.string().url().max(2048),
    domains: z.array(Domain).min(1).max(1000).optional(),
    campaign: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, '1–64 lower-case letters, digits, - and _')
      .optional(),
    days: z.number().int().min(1).max(365).default(90),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((r) => r.domains !== undefined || r.format === 'csv', { path: ['domains'], message: 'give domains, or ask for every account with format "csv"' });
export type SignedLinksRequest = z.infer<typeof SignedLinksRequest>;
export const SignedLinks = z.object({ expiresAt: z.string(), links: z.array(z.object({ domain: Domain, url: z.string() })) });
export type SignedLinks = z.infer<typeof SignedLinks>;

/** What a preview token carries (signed with HMAC-SHA256 by the edge; the snippet passes it as `preview`). */
export const PreviewClaims = z.object({
  site: Id,
  segment: Id.optional(),
  account: Domain.optional(),
  /** Expiry and issue time, epoch seconds. A link issued before the site's revocation is void; one without `iat` (made before revocation existed) counts as issued at 0. */
  exp: z.number().int(),
  iat: z.number().int().optional(),
});
export type PreviewClaims = z.infer<typeof PreviewClaims>;

/**
 * POST /api/admin/sites: a new site. `template` "demo" starts it with the demo's segments, slots,
 * variants, page groups and goals as an example to edit; "empty" with none.
 */
export const CreateSiteRequest = z.strictObject({
  id: Id,
  name: z.string().trim().min(1).max(100),
  allowedOrigins: z.array(AllowedOrigin).max(50).default([]),
  template: z.enum(['empty', 'demo']).default('empty'),
});
export type CreateSiteRequest = z.infer<typeof CreateSiteRequest>;

/** Where a page view on one origin was last seen by the edge (the path only: no query string is kept). */
export const TagSightingInfo = z.object({
  origin: z.string(),
  at: z.string(),
  path: z.string(),
  /** The snippet's version and the tag's (its `data-v`), as that page view reported them (null: an older snippet or tag). */
  snippet: z.string().nullable(),
  tag: z.string().nullable(),
});

/**
 * GET /api/admin/sites/:site/tag-check: per allowed origin (of the live config, else the draft), the
 * last page view that ran the tag there (null: none seen yet); page views from origins the site does
 * not allow, refused (the most recent 20); and views from the edge's own origin (its demo pages).
 */
export const TagCheck = z.object({
  origins: z.array(
    z.object({
      origin: z.string(),
      lastSeen: TagSightingInfo.nullable(),
      /**
       * Whether the tag on that page hides the site's current selector slots (its version is the live
       * config's or the draft's): false → copy the tag again; null → not seen yet.
       */
      tagCurrent: z.boolean().nullable(),
      /** Whether that page ran the snippet this edge serves now (false: a cached older copy); null → not seen yet. */
      snippetCurrent: z.boolean().nullable(),
    }),
  ),
  refused: z.array(TagSightingInfo),
  other: z.array(TagSightingInfo),
});
export type TagCheck = z.infer<typeof TagCheck>;
