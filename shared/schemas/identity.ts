import { z } from 'zod';
import { Id } from './primitives';

/**
 * Who may do what in the admin. Roles are ordered: each one may do everything the ones before it may.
 * viewer: read configs, accounts and reports · editor: edit drafts and accounts, preview, links ·
 * publisher: publish and roll back · owner: manage members, API tokens and preview links.
 */
export const Role = z.enum(['viewer', 'editor', 'publisher', 'owner']);
export type Role = z.infer<typeof Role>;

/** A grant's scope: one site, or `*` for every site (including sites created later). */
export const Scope = z.union([Id, z.literal('*')]);
export type Scope = z.infer<typeof Scope>;

export const Grant = z.object({ site: Scope, role: Role });
export type Grant = z.infer<typeof Grant>;

/** An admin's e-mail as Cloudflare Access asserts it; compared lower-cased. */
export const MemberEmail = z.email({ error: 'must be an e-mail address' }).max(254).transform((e) => e.toLowerCase());

/** How the caller proved who they are. */
export const CredentialKind = z.enum(['access', 'token', 'bootstrap']);

/** GET /api/admin/whoami[?site=]: the verified identity, its grants and, for `site`, its role there. */
export const WhoAmI = z.object({
  name: z.string(),
  kind: CredentialKind,
  grants: z.array(Grant),
  site: Id.optional(),
  role: Role.nullable().optional(),
});
export type WhoAmI = z.infer<typeof WhoAmI>;

export const Member = z.object({ email: z.string(), site: Scope, role: Role, addedBy: z.string(), addedAt: z.string() });
export type Member = z.infer<typeof Member>;
export const MemberList = z.object({ members: z.array(Member) });

export const SetMemberRequest = z.strictObject({ role: Role });

export const ApiTokenInfo = z.object({
  id: z.string(),
  name: z.string(),
  site: Id,
  role: Role,
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiTokenInfo = z.infer<typeof ApiTokenInfo>;
export const ApiTokenList = z.object({ tokens: z.array(ApiTokenInfo) });

export const CreateTokenRequest = z.strictObject({
  name: z.string().trim().min(1).max(80).regex(/^[\x20-\x7e]+$/, 'must be printable ASCII'),
  role: Role,
  /** Absent: the token never expires (revoke it instead). */
  expiresInDays: z.number().int().min(1).max(366).optional(),
});
export type CreateTokenRequest = z.infer<typeof CreateTokenRequest>;

/** The token itself is in this answer only: the edge keeps its SHA-256, never the token. */
export const CreatedToken = z.object({ token: z.string(), info: ApiTokenInfo });

export const AuditEntry = z.object({ at: z.string(), actor: z.string(), site: Scope, action: z.string(), detail: z.string() });
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditLog = z.object({ entries: z.array(AuditEntry) });

/** A site the caller may see (GET /api/admin/sites), with their role there. */
export const SiteSummary = z.object({ id: Id, name: z.string(), role: Role, createdAt: z.string(), createdBy: z.string(), archivedAt: z.string().nullable() });
export type SiteSummary = z.infer<typeof SiteSummary>;
export const SiteList = z.object({ sites: z.array(SiteSummary) });
