// The Worker's bindings, and what `env` / `exports` from `cloudflare:workers` hold (used by the tests).
declare namespace Cloudflare {
  interface Env {
    KV: KVNamespace;
    ENVIRONMENT?: string;
  }
  interface GlobalProps {
    mainModule: typeof import('./index');
  }
}
