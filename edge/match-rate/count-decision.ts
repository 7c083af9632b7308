import { dayOf } from '../../shared/measure/days';
import type { DecideResponse } from '../../shared/schemas';
import type { Env } from '../env';
import { countView } from './tally';

/** Counts a decided page view for the match rate: its day, page origin, method, confidence and segment. Previews are not page views. */
export function countDecision(env: Pick<Env, 'EVENTS_QUEUE' | 'MATCH_RATE_FLUSH_MS'>, ctx: Pick<ExecutionContext, 'waitUntil'>, site: string, origin: string, body: DecideResponse): void {
  if (body.preview) return;
  countView(env, ctx, {
    site,
    day: dayOf(Date.now()),
    origin: origin.slice(0, 200),
    method: body.method,
    confidence: body.confidence ?? 'none',
    segment: body.segment?.id ?? '',
  });
}
