// The Worker's bindings, and what `env` / `exports` from `cloudflare:workers` hold (used by the tests).
declare namespace Cloudflare {
  interface Env {
    KV: KVNamespace;
    SITE_STORE: DurableObjectNamespace<import('./site-store/site-store').SiteStore>;
    /** Recent page views, one object per account (`<site>:<domain>`) or anonymous visitor (`<site>:v:<id>`). */
    ACCOUNT_ACTIVITY: DurableObjectNamespace<import('./activity/account-activity').AccountActivity>;
    /** Measurement: events accepted by POST /v1/events, and isolates' match-rate tallies, wait here and are aggregated into EVENTS_DB in batches. */
    EVENTS_QUEUE: Queue<import('../shared/schemas/measure').QueuedEvents | import('../shared/schemas/match-rate').QueuedMatchTally>;
    /** Sales alerts: an alert claimed when an account entered a segment (edge/alerts/detect.ts), sent by edge/alerts/consume.ts. */
    ALERTS_QUEUE: Queue<import('../shared/schemas/alerts').QueuedAlert>;
    /** Where the admin is, for the account links in alerts (default: the origin decide requests come to; set it for edge mode). */
    ADMIN_URL?: string;
    /** Tests only: where Slack's incoming webhooks are (default https://hooks.slack.com; the tests' stand-in on 127.0.0.1). */
    SLACK_HOOKS_URL?: string;
    /** Measurement: every counted event (idempotent by batch and index); the report is read from here. */
    EVENTS_DB: D1Database;
    /** Rate Limiting: per client (IP, IPv6 /64) per public route, and per site per public route (edge/http/rate-limit.ts). */
    RL_CLIENT?: RateLimit;
    RL_SITE?: RateLimit;
    /** Tests only (vitest.config.ts): a limiter of 1 request per key per 10 s. */
    RL_TEST_ONE?: RateLimit;
    /** Days measurement rows are kept (edge/events/retention.ts; default 396, about 13 months). */
    EVENTS_RETENTION_DAYS?: string;
    ENVIRONMENT?: string;
    /** Edge mode: `host=site[,host=site]`, the customer hostnames this Worker serves as a personalizing reverse proxy (edge/edge-mode/hosts.ts). */
    EDGE_HOSTS?: string;
    /** Edge mode: how long a page waits (from the request) for its decision before streaming as written (default 150 ms). */
    EDGE_DECISION_BUDGET_MS?: string;
    /** "on" mounts the demo pages and the bench floor (edge/dev-routes.ts): top-level [vars] only, never production. */
    DEV_ROUTES?: string;
    /** The demo page's snippet budget in ms (default 800); the browser tests raise it (see test/support/global-worker.ts). */
    DEMO_TIMEOUT_MS?: string;
    /** Admin members, API tokens and the audit trail (edge/identity/directory.ts): one object. */
    ADMIN_DIRECTORY: DurableObjectNamespace<import('./identity/directory').AdminDirectory>;
    /** Secret: the bootstrap owner credential of /api/admin (every site). Unset, and no Access → the admin API answers 503. */
    ADMIN_TOKEN?: string;
    /** "off" refuses ADMIN_TOKEN even when it is set (production, once an owner signs in through Access). */
    BOOTSTRAP_TOKEN?: string;
    /** Cloudflare Access in front of /admin: the team domain (`https://<team>.cloudflareaccess.com`) and the application's AUD tag. */
    ACCESS_TEAM_DOMAIN?: string;
    ACCESS_AUD?: string;
    /** Secret: HMAC key of signed ABM links (shared/links/signed-link.ts); ADMIN_TOKEN when unset. */
    LINK_SECRET?: string;
    /** Secret: HMAC key of preview links; ADMIN_TOKEN when unset. */
    PREVIEW_SECRET?: string;
    /** Secrets: the enrichment providers' API keys (edge/enrichment/); a site's provider is asked only when its key is set. */
    IPINFO_TOKEN?: string;
    CLEARBIT_KEY?: string;
    /** Where the providers' APIs are (default: the vendors'; the tests point them at a local stand-in). */
    IPINFO_API?: string;
    CLEARBIT_API?: string;
    /** How long an isolate gathers match-rate counts before sending them (default 5000 ms; edge/match-rate/tally.ts). */
    MATCH_RATE_FLUSH_MS?: string;
    /** Secret (the name a site's `crm.tokenSecret` gives, default HUBSPOT_TOKEN): a HubSpot private app's token. */
    HUBSPOT_TOKEN?: string;
    /** Where HubSpot's API is (default https://api.hubapi.com; the tests point it at a local stand-in). */
    HUBSPOT_API?: string;
    /** Secrets (the names a site's `crm.clientIdSecret` / `clientSecretSecret` give): a Salesforce connected app's consumer key and secret. */
    SALESFORCE_CLIENT_ID?: string;
    SALESFORCE_CLIENT_SECRET?: string;
    /** How long segment changes wait to be written back to the CRM together (default 30000 ms; edge/crm/write-back.ts). */
    CRM_WRITE_BACK_DELAY_MS?: string;
  }
  interface GlobalProps {
    mainModule: typeof import('./index');
  }
}

/** The one Node API the Worker uses (nodejs_compat provides it); the Worker is not typed against all of Node. */
declare module 'node:async_hooks' {
  export class AsyncLocalStorage<T> {
    run<R>(store: T, callback: () => R): R;
    getStore(): T | undefined;
  }
}
