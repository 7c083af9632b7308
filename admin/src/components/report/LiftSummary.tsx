import type { LiftStats } from '../../../../shared/schemas';
import { count, pct, signedPct, signedPoints } from '../../report-format';
import { LiftBar } from './LiftBar';

interface Props {
  lift: LiftStats | undefined;
  goal: { id: string; name: string };
  holdout: number | null;
}

/** The conclusion's words as a heading: "Keep running". */
const title = (conclusion: string) => conclusion.charAt(0).toUpperCase() + conclusion.slice(1);
/** The card's colour: green or red only when the conclusion is a winner, whatever the interval alone shows. */
const TONE: Record<string, 'better' | 'worse' | 'inconclusive'> = { 'personalized is better': 'better', 'holdout is better': 'worse' };
const METHOD = { sequential: 'always-valid', fixed: 'fixed-sample' } as const;

/**
 * What to conclude today ("Keep running", "Personalized is better"…) and why, from the edge's shared
 * wording; the lift with its 95% interval and its bar; the data it was computed on. Or what is missing.
 */
export function LiftSummary({ lift, goal, holdout }: Props) {
  if (!lift || lift.status === 'insufficient') {
    return (
      <div class="lift insufficient">
        <p>
          <strong>Not enough data yet</strong> to measure the lift on {goal.name}
          {lift && <>. {lift.advice}</>}
        </p>
        {holdout === 0 && (
          <p class="muted">
            This segment has no holdout, so there is nothing to compare with: set a holdout share on it under <a href="#/segments">Segments</a>.
          </p>
        )}
      </div>
    );
  }
  const tone = TONE[lift.conclusion] ?? 'inconclusive';
  const { sample } = lift;
  const rate = (a: { units: number; converted: number }) => (a.units ? a.converted / a.units : 0);
  return (
    <div class={`lift ${tone}`}>
      <p>
        <strong class="conclusion">{title(lift.conclusion)}</strong> on {goal.name}: lift{' '}
        <strong>
          {signedPct(lift.lift)} ({METHOD[lift.method]} 95% CI {signedPct(lift.low)} to {signedPct(lift.high)})
        </strong>
      </p>
      <LiftBar lift={lift.lift} low={lift.low} high={lift.high} verdict={tone} />
      <p>{lift.advice}</p>
      <p class="muted">
        Personalized converts {pct(rate(sample.personalized))}, holdout {pct(rate(sample.holdout))}: {signedPoints(lift.difference)}
        {lift.method === 'sequential' ? (
          <>
            , counted on every exposure since the segment's first, {sample.from} ({count(sample.personalized.units)} and {count(sample.holdout.units)} units), so that
            looking every day stays valid.
          </>
        ) : (
          <>
            , from {sample.from} to {sample.to}.
          </>
        )}
      </p>
    </div>
  );
}
