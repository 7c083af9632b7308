import type { LiftStats } from '../../../../shared/schemas';
import { count, pct, signedPoints } from '../../report-format';
import { LiftHeadline, toneOf } from './LiftHeadline';

interface Props {
  lift: LiftStats | undefined;
  goal: { id: string; name: string };
  holdout: number | null;
}


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
  const { sample } = lift;
  const rate = (a: { units: number; converted: number }) => (a.units ? a.converted / a.units : 0);
  return (
    <div class={`lift ${toneOf(lift.conclusion)}`}>
      <LiftHeadline lift={lift} what={goal.name} />
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
