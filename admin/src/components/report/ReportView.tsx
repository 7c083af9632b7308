import { useEffect, useState } from 'preact/hooks';
import type { Report } from '../../../../shared/schemas';
import { api, type ReportRange } from '../../api';
import { count } from '../../report-format';
import { report as showError, session } from '../../state';
import { GoalsForm } from './GoalsForm';
import { MatchRateCard } from './MatchRateCard';
import { ReportControls } from './ReportControls';
import { ReportEmpty } from './ReportEmpty';
import { PIPELINE_GOAL, SegmentReportCard } from './SegmentReportCard';
import { ViewHeading } from '../common/ViewHeading';

/** Personalized against holdout per segment: exposures, conversions per goal, lift, per day and per version. */
export function ReportView() {
  const [range, setRange] = useState<ReportRange>({}); // none: the edge's defaults, the last 30 days and the sequential interval
  const [data, setData] = useState<Report | null>(null);
  const [loading, setLoading] = useState(true);
  const [goal, setGoal] = useState('cta');

  useEffect(() => {
    let stale = false;
    setLoading(true);
    api
      .report(session(), range)
      .then((r) => !stale && setData(r))
      .catch(showError)
      .finally(() => !stale && setLoading(false));
    return () => void (stale = true);
  }, [range]);

  const goals = data ? [...data.goals, PIPELINE_GOAL] : [];
  const shownGoal = goals.find((g) => g.id === goal) ?? goals[0];
  const measured = data?.segments.filter((s) => s.arms.personalized.units + s.arms.holdout.units > 0) ?? [];
  const quiet = data?.segments.filter((s) => !measured.includes(s)) ?? [];

  return (
    <section aria-busy={loading}>
      <ViewHeading intro="How each segment's personalized page converts against its holdout, the visitors who keep the page as written.">Report</ViewHeading>
      <ReportControls
        report={data}
        goal={shownGoal?.id ?? goal}
        onGoal={setGoal}
        onRange={(r) => setRange({ ...r, interval: range.interval, attribution: range.attribution })}
        attribution={range.attribution ?? 90}
        onAttribution={(attribution) => setRange({ ...range, attribution })}
        interval={range.interval ?? 'sequential'}
        onInterval={(interval) => setRange({ ...range, interval })}
      />
      {data && data.dropped.batches > 0 && (
        <p class="notice error" role="alert">
          {count(data.dropped.batches)} event batch{data.dropped.batches === 1 ? '' : 'es'} ({count(data.dropped.events)} events) could not be counted in this range: the
          measurement store kept failing and the queue gave up on them. The figures below leave them out.
        </p>
      )}
      {!data ? (
        <p class="muted">{loading ? 'Loading the report…' : 'The report could not be loaded.'}</p>
      ) : data.totals.exposures + data.totals.conversions === 0 ? (
        <ReportEmpty from={data.from} to={data.to} />
      ) : (
        <>
          <p class="muted">
            {data.from} to {data.to} (UTC): {count(data.totals.exposures)} exposures and {count(data.totals.conversions)} conversions counted.
          </p>
          {measured.map((s) => (
            <SegmentReportCard key={s.segment} segment={s} goal={shownGoal!} from={data.from} to={data.to} attributionDays={data.pipeline.attributionDays} />
          ))}
          {shownGoal?.id === PIPELINE_GOAL.id && data.pipeline.opportunities === 0 && (
            <p class="notice">No opportunities from a CRM yet: turn on Pipeline in Accounts → CRM sync to compare the arms on pipeline.</p>
          )}
          {quiet.length > 0 && <p class="muted">No exposures in this range: {quiet.map((s) => s.name).join(', ')}.</p>}
        </>
      )}
      <MatchRateCard range={range} />
      <GoalsForm />
    </section>
  );
}
