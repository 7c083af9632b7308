import type { Grant } from '../shared/schemas';

export type Env = Cloudflare.Env;

export type AppEnv = { Bindings: Env };

/** Who is calling the admin, as proven by their credential (edge/admin/auth.ts). */
export interface Principal {
  /** What the history records: the Access e-mail, `token <name>`, or `admin token`. */
  name: string;
  kind: 'access' | 'token' | 'bootstrap';
  grants: Grant[];
}

/** Admin routes also know who is acting (for permissions and the draft, version and audit history). */
export type AdminEnv = { Bindings: Env; Variables: { principal: Principal; actor: string; audit?: string; auditPath?: string } };
