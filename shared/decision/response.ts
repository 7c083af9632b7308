import { wireChanges } from '../content/proof-html';
import type { DecideResponse, ReasonCode } from '../schemas';
import type { Decision, Resolution } from './decide';
import { type ReasonDetails, reasonText } from './reasons';

/** The answer of POST /v1/decide for a decision (shared/schemas/decide.ts DecideResponse). */
export function decisionResponse(
  site: { site: string; version: number },
  resolution: Resolution,
  decision: Decision,
  extra: { preview?: boolean; reasonsBefore?: readonly ReasonCode[]; details?: ReasonDetails } = {},
): DecideResponse {
  const reasons = [...(extra.reasonsBefore ?? []), ...decision.reasons];
  const account = decision.account;
  const body: DecideResponse = {
    site: site.site,
    version: site.version,
    method: resolution.method,
    ...(resolution.confidence && { confidence: resolution.confidence }),
    account: account && { domain: account.domain, name: account.name },
    segment: decision.segment && { id: decision.segment.id, name: decision.segment.name },
    changes: wireChanges(decision.changes),
  };
  if (reasons.length) {
    body.reason = reasonText(reasons, { degraded: resolution.degraded, ...extra.details });
    body.reasons = reasons;
  }
  if (extra.preview) body.preview = true;
  if (decision.behaviour) body.behaviour = decision.behaviour;
  if (decision.arm) body.arm = decision.arm;
  if (decision.measure) body.measure = decision.measure;
  if (decision.goals.length) body.goals = decision.goals;
  return body;
}

/** The page as written, when there is no site config to decide with: reveals nothing, so any origin may read it. */
export function fallbackResponse(site: string, reason: ReasonCode, before: readonly ReasonCode[] = []): DecideResponse {
  const reasons = [...before, reason];
  return { site, version: 0, method: 'none', account: null, segment: null, changes: [], reason: reasonText(reasons), reasons };
}
