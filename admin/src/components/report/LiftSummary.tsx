import type { SegmentReport } from '../../../../shared/schemas';
import { pct, signedPct, signedPoints } from '../../report-format';
import { LiftBar } from './LiftBar';

interface Props {
  lift: SegmentReport['lift'][string] | undefined;
  arms: SegmentReport['arms'];
  goal: { id: string; name: string };
  holdout: number | null;
}

const VERDICT = {
  better: 'better: personalized converts more',
  worse: 'worse: personalized converts less',
  inconclusive: 'inconclusive: the interval includes no change',
} as const;

/** "+33% (95% CI +10% to +62%) — better", with its interval bar; or why there is no lift yet. */
export function LiftSummary({ lift, arms, goal, holdout }: Props) {
  if (!lift || lift.status === 'insufficient') {
    const reason = (lift?.reason ?? '').replace(/^not enough data yet:\s*/i, '');
    return (
      <div class="lift insufficient">
        <p>
          <strong>Not enough data yet</strong> to measure the lift on {goal.name}
          {reason && <>: {reason}</>}.
        </p>
        {holdout === 0 && (
          <p class="muted">
            This segment has no holdout, so there is nothing to compare with: set a holdout share on it under <a href="#/segments">Segments</a>.
          </p>
        )}
      </div>
    );
  }
  const p = arms.personalized.conversions[goal.id]?.rate ?? 0;
  const h = arms.holdout.conversions[goal.id]?.rate ?? 0;
  return (
    <div class={`lift ${lift.verdict}`}>
      <p>
        Lift on {goal.name}:{' '}
        <strong>
          {signedPct(lift.lift)} (95% CI {signedPct(lift.low)} to {signedPct(lift.high)}) — {lift.verdict}
        </strong>
        <span class="visually-hidden">, {VERDICT[lift.verdict]}</span>
      </p>
      <LiftBar lift={lift.lift} low={lift.low} high={lift.high} verdict={lift.verdict} />
      <p class="muted">
        Personalized converts {pct(p)}, holdout {pct(h)}: {signedPoints(lift.difference)}.
      </p>
    </div>
  );
}
