export interface Env {
  KV: KVNamespace;
  ENVIRONMENT?: string;
}

export type AppEnv = { Bindings: Env };
