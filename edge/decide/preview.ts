import type { DecideRequest } from '../../shared/schemas';
import { visitContext } from '../../shared/decision/context';
import type { Env } from '../env';
import { type DecideOutcome, type EdgeFacts, decisionBody, resolveVisitor, segmentBody } from './decide';
import { previewSecret, verifyPreview } from './preview-token';

export const PREVIEW_INVALID = 'preview link invalid or expired';

export type PreviewOutcome = { ok: true; outcome: DecideOutcome } | { ok: false; reason: string };

/**
 * Decides a preview link: with the site's DRAFT from its SiteStore (not the published KV copy),
 * as the segment the link forces (for whichever account the visitor resolves to, if any, so
 * `?pz_account=` on the page fills the tokens), or as the account it names (read from the system of record).
 */
export async function decidePreview(env: Env, req: DecideRequest & { preview: string }, facts: EdgeFacts): Promise<PreviewOutcome> {
  const secret = previewSecret(env);
  const claims = secret ? await verifyPreview(req.preview, secret) : null;
  if (!claims || claims.site !== req.site) return { ok: false, reason: PREVIEW_INVALID };

  let data;
  try {
    data = await env.SITE_STORE.getByName(req.site).previewData(req.site, claims.account ?? null);
  } catch (err) {
    console.error('preview: site store unavailable', err);
    return { ok: false, reason: 'preview unavailable' };
  }
  if (!data) return { ok: false, reason: PREVIEW_INVALID };
  const { config, account } = data;
  const visit = visitContext(new URL(req.url), req.referrer, facts.country);

  let body;
  if (claims.segment !== undefined) {
    const segment = config.segments.find((s) => s.id === claims.segment) ?? null;
    const resolution = await resolveVisitor(env.KV, req, facts);
    body = segmentBody(config, resolution, segment, { account: resolution.account, visit });
    if (!segment) body.reason = `segment "${claims.segment}" is not in the draft`;
  } else {
    body = decisionBody(config, { method: account ? 'link' : 'none', account }, visit);
    if (!account) body.reason = `account "${claims.account}" is not imported`;
  }
  return { ok: true, outcome: { status: 'ok', body: { ...body, preview: true }, allowedOrigins: config.allowedOrigins } };
}
