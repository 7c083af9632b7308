import type { PipelineLift } from '../../../../shared/schemas';
import { signedPct } from '../../report-format';
import { LiftBar } from './LiftBar';

/** The conclusion's words as a heading: "Keep running". */
export const title = (conclusion: string) => conclusion.charAt(0).toUpperCase() + conclusion.slice(1);
/** The card's colour: green or red only when the conclusion is a winner, whatever the interval alone shows. */
const TONE: Record<string, 'better' | 'worse' | 'inconclusive'> = { 'personalized is better': 'better', 'holdout is better': 'worse' };
export const toneOf = (conclusion: string) => TONE[conclusion] ?? 'inconclusive';
const METHOD = { sequential: 'always-valid', fixed: 'fixed-sample' } as const;

/** "Personalized is better on <what>: lift +33% (always-valid 95% CI +12% to +58%)", its bar and the advice. */
export function LiftHeadline({ lift, what }: { lift: Extract<PipelineLift, { status: 'ok' }>; what: string }) {
  return (
    <>
      <p>
        <strong class="conclusion">{title(lift.conclusion)}</strong> on {what}: lift{' '}
        <strong>
          {signedPct(lift.lift)} ({METHOD[lift.method]} 95% CI {signedPct(lift.low)} to {signedPct(lift.high)})
        </strong>
      </p>
      <LiftBar lift={lift.lift} low={lift.low} high={lift.high} verdict={toneOf(lift.conclusion)} />
      <p>{lift.advice}</p>
    </>
  );
}
