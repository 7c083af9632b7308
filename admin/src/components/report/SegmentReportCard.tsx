import type { SegmentReport } from '../../../../shared/schemas';
import { count } from '../../report-format';
import { ArmsTable } from './ArmsTable';
import { DayChart } from './DayChart';
import { LiftSummary } from './LiftSummary';
import { PipelineReport } from './PipelineReport';
import { VersionsReport } from './VersionsReport';

interface Props {
  segment: SegmentReport;
  goal: { id: string; name: string };
  from: string;
  to: string;
  attributionDays: number;
}

/** The CRM's opportunities, beside the click goals in the goal list. */
export const PIPELINE_GOAL = { id: 'pipeline', name: 'Pipeline' };

/** One segment's comparison for the selected goal: the arms, the lift, per day and per variant version. */
export function SegmentReportCard({ segment: s, goal, from, to, attributionDays }: Props) {
  const id = `report-${s.segment}`;
  return (
    <article class="card report-segment" aria-labelledby={id}>
      <h2 id={id}>
        {s.name} <span class="muted id">{s.segment}</span>
      </h2>
      <p class="meta muted">
        {s.holdout === null ? 'No longer in the published site.' : s.holdout > 0 ? `Holdout: ${Math.round(s.holdout * 100)}% of accounts (visitors without one).` : 'No holdout.'}{' '}
        {count(s.arms.personalized.exposures + s.arms.holdout.exposures)} exposures.
      </p>
      {goal.id === PIPELINE_GOAL.id ? (
        <PipelineReport segment={s} attributionDays={attributionDays} />
      ) : (
        <>
          <LiftSummary lift={s.lift[goal.id]} goal={goal} holdout={s.holdout} />
          <ArmsTable segment={s} goal={goal} />
          <DayChart segment={s} goal={goal} from={from} to={to} />
          <VersionsReport segment={s} goal={goal} />
        </>
      )}
    </article>
  );
}
