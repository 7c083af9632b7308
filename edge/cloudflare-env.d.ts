// The Worker's bindings, and what `env` / `exports` from `cloudflare:workers` hold (used by the tests).
declare namespace Cloudflare {
  interface Env {
    KV: KVNamespace;
    SITE_STORE: DurableObjectNamespace<import('./durable/site-store').SiteStore>;
    ENVIRONMENT?: string;
    /** Secret: the bearer token of /api/admin. Unset → the admin API answers 503. */
    ADMIN_TOKEN?: string;
    /** Secret: HMAC key of preview links; ADMIN_TOKEN when unset. */
    PREVIEW_SECRET?: string;
  }
  interface GlobalProps {
    mainModule: typeof import('./index');
  }
}
