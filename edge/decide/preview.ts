import type { Account, DecideResponse, PreviewClaims, ReasonCode, SiteConfig } from '../../shared/schemas';
import { visitContext } from '../../shared/decision/context';
import { decide } from '../../shared/decision/decide';
import { decisionResponse } from '../../shared/decision/response';
import type { Env } from '../env';
import { type EdgeFacts, type PageRequest, resolveVisitor } from './decide';
import { previewSecret, revokedPreview, verifyPreview } from './preview-token';

/** A verified preview link and the draft it shows; else why the visit is decided live instead. */
export type PreviewLoad = { ok: true; claims: PreviewClaims; data: { config: SiteConfig; account: Account | null } } | { ok: false; reason: ReasonCode };

/**
 * Checks a preview link (the HMAC signature and expiry, before anything is read) and loads the site's
 * DRAFT from its SiteStore (not the published KV copy), with the account it names if any, refusing a
 * link the site's owner revoked (issued before the site's revocation time, which comes with the draft).
 */
export async function loadPreview(env: Pick<Env, 'SITE_STORE' | 'PREVIEW_SECRET' | 'ADMIN_TOKEN' | 'ENVIRONMENT'>, site: string, token: string): Promise<PreviewLoad> {
  const secret = previewSecret(env);
  const claims = secret ? await verifyPreview(token, secret) : null;
  if (!claims || claims.site !== site) return { ok: false, reason: 'preview-invalid' };
  try {
    const data = await env.SITE_STORE.getByName(site).previewData(site, claims.account ?? null);
    if (!data || revokedPreview(claims, data.revokedBefore)) return { ok: false, reason: 'preview-invalid' };
    return { ok: true, claims, data: { config: data.config, account: data.account } };
  } catch (err) {
    console.error('preview: site store unavailable', err);
    return { ok: false, reason: 'preview-unavailable' };
  }
}

/**
 * Decides a preview with the draft: as the segment the link forces (for whichever account the visitor
 * resolves to, if any, so `?pz_account=` on the page fills the tokens), or as the account it names.
 * No activity is read or recorded and nothing is measured: an admin is looking.
 */
export async function decidePreview(
  env: Pick<Env, 'KV' | 'LINK_SECRET' | 'ADMIN_TOKEN'>,
  preview: Extract<PreviewLoad, { ok: true }>,
  req: PageRequest,
  facts: EdgeFacts,
): Promise<DecideResponse> {
  const { claims, data } = preview;
  const { config } = data;
  const visit = visitContext(req.page, req.referrer, facts.country);
  const resolution =
    claims.segment !== undefined
      ? await resolveVisitor(env, config, req, facts)
      : { method: data.account ? ('link' as const) : ('none' as const), confidence: data.account ? ('verified' as const) : null, account: data.account, degraded: [] };
  const decision = decide({ config, resolution, visit, activity: null, now: Date.now(), mode: 'preview', segment: claims.segment });
  // an account preview whose account is gone says that, whatever else it shows
  if (claims.segment === undefined && !data.account) decision.reasons = ['preview-account-missing'];
  return decisionResponse(config, resolution, decision, { preview: true, details: { segment: claims.segment, account: claims.account } });
}
