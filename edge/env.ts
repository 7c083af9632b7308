export type Env = Cloudflare.Env;

export type AppEnv = { Bindings: Env };

/** Admin routes also know who is acting (for the draft and version history). */
export type AdminEnv = { Bindings: Env; Variables: { actor: string } };
