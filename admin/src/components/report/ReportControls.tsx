import { useEffect, useRef, useState } from 'preact/hooks';
import { type IntervalMethod, type Report, ReportQuery } from '../../../../shared/schemas';
import { api, type Issue, type ReportRange } from '../../api';
import { download } from '../../download';
import { scope, zodIssues } from '../../issues';
import { lastDays } from '../../../../shared/measure/days';
import { report as showError, notify, session } from '../../state';
import { Field } from '../common/Field';

interface Props {
  /** The report shown: its range fills the inputs and is what Export CSV downloads. */
  report: Report | null;
  goal: string;
  onGoal: (goal: string) => void;
  onRange: (range: ReportRange) => void;
  interval: IntervalMethod;
  onInterval: (interval: IntervalMethod) => void;
  attribution: number;
  onAttribution: (days: number) => void;
}

/** The day range (applied with Show), the interval and the goal the lift, tables and chart show, and Export CSV. */
export function ReportControls({ report, goal, onGoal, onRange, interval, onInterval, attribution, onAttribution }: Props) {
  const [from, setFrom] = useState(() => lastDays().from);
  const [to, setTo] = useState(() => lastDays().to);
  const [issues, setIssues] = useState<Issue[]>([]);
  const s = scope(issues, '');
  // The edge's range fills the inputs, unless the user has started to edit them.
  const touched = useRef(false);
  useEffect(() => {
    if (!report || touched.current) return;
    setFrom(report.from);
    setTo(report.to);
  }, [report?.from, report?.to]);
  const edit = (set: (v: string) => void) => (e: { currentTarget: HTMLInputElement }) => {
    touched.current = true;
    set(e.currentTarget.value);
  };

  const exportCsv = async () => {
    if (!report) return;
    try {
      download(await api.reportCsv(session(), { from: report.from, to: report.to, interval: report.interval, attribution: report.pipeline.attributionDays }), `report-${report.site}-${report.from}-${report.to}.csv`);
      notify('ok', 'The report CSV is downloading.');
    } catch (err) {
      showError(err);
    }
  };

  return (
    <form
      class="card toolbar report-controls"
      aria-label="Report range and goal"
      onSubmit={(e) => {
        e.preventDefault();
        const range = { from: from || undefined, to: to || undefined };
        const parsed = ReportQuery.safeParse({ site: session().site, ...range });
        setIssues(parsed.success ? [] : zodIssues(parsed.error));
        if (parsed.success) onRange(range);
      }}
    >
      <Field label="From" error={s.at('from')}>
        {(p) => <input {...p} type="date" value={from} max={to || undefined} onInput={edit(setFrom)} />}
      </Field>
      <Field label="To" error={s.at('to')}>
        {(p) => <input {...p} type="date" value={to} min={from || undefined} onInput={edit(setTo)} />}
      </Field>
      <button type="submit">Show</button>
      <Field label="Interval">
        {(p) => (
          <select {...p} value={interval} onChange={(e) => onInterval(e.currentTarget.value as IntervalMethod)}>
            <option value="sequential">Always valid</option>
            <option value="fixed">Fixed sample</option>
          </select>
        )}
      </Field>
      <Field label="Goal" class="grow">
        {(p) => (
          <select {...p} value={goal} onChange={(e) => onGoal(e.currentTarget.value)} disabled={!report}>
            {(report?.goals ?? []).map((g) => (
              <option key={g.id} value={g.id}>
                {g.name} ({g.id})
              </option>
            ))}
            <option value="pipeline">Pipeline (CRM opportunities)</option>
          </select>
        )}
      </Field>
      {goal === 'pipeline' && (
        <Field label="Attribution window">
          {(p) => (
            <select {...p} value={attribution} onChange={(e) => onAttribution(Number(e.currentTarget.value))}>
              {[30, 60, 90, 180, 365].map((d) => (
                <option key={d} value={d}>
                  {d} days
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <button type="button" class="secondary" disabled={!report} onClick={() => void exportCsv()}>
        Export CSV
      </button>
    </form>
  );
}
