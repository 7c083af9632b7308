import { useEffect, useState } from 'preact/hooks';
import type { MatchRateReport } from '../../../../shared/schemas';
import { api, type ReportRange } from '../../api';
import { download } from '../../download';
import { count } from '../../report-format';
import { notify, report as showError, session } from '../../state';

const LEVELS = ['verified', 'inferred', 'claimed', 'none'] as const;
const LABEL: Record<(typeof LEVELS)[number], string> = { verified: 'Verified', inferred: 'Inferred', claimed: 'Claimed', none: 'Not resolved' };
const METHOD: Record<string, string> = {
  identify: 'Identify (form fill)',
  link: 'ABM link',
  ip: 'Your IP ranges',
  enrichment: 'Enrichment provider',
  org: 'Network name',
  none: 'Not resolved',
};

const pct = (n: number, of: number) => (of ? `${Math.round((n / of) * 100)} %` : '—');
const resolved = (by: Record<string, number>, views: number) => views - (by.none ?? 0);

/** How page views were resolved: per day by confidence (stacked shares), by method, by page origin and by segment; CSV. */
export function MatchRateCard({ range }: { range: ReportRange }) {
  const [data, setData] = useState<MatchRateReport | null>(null);
  useEffect(() => {
    let stale = false;
    api
      .matchRate(session(), range)
      .then((r) => !stale && setData(r))
      .catch(showError);
    return () => void (stale = true);
  }, [range.from, range.to]);
  if (!data) return null;

  const exportCsv = async () => {
    try {
      download(await api.matchRateCsv(session(), { from: data.from, to: data.to }), `match-rate-${data.site}-${data.from}-${data.to}.csv`);
      notify('ok', 'The match-rate CSV is downloading.');
    } catch (err) {
      showError(err);
    }
  };

  return (
    <section class="card" aria-labelledby="match-rate-title">
      <h2 id="match-rate-title">Match rate</h2>
      {data.views === 0 ? (
        <p class="muted">No page views counted from {data.from} to {data.to} yet: they are counted from pages on the site's allowed origins.</p>
      ) : (
        <>
          <p>
            <strong>{pct(resolved(data.byConfidence, data.views), data.views)}</strong> of {count(data.views)} page views were resolved to a company ({data.from} to {data.to},
            UTC).
          </p>
          <figure class="chart match-chart" aria-label="Share of page views per day by confidence">
            <div class="match-days">
              {data.days.map((d) => (
                <div key={d.day} class="match-day" title={`${d.day}: ${LEVELS.map((l) => `${LABEL[l]} ${d.byConfidence[l] ?? 0}`).join(', ')}`}>
                  {LEVELS.map((l) => (
                    <span key={l} class={`match-${l}`} style={{ height: `${((d.byConfidence[l] ?? 0) / d.views) * 100}%` }} />
                  ))}
                </div>
              ))}
            </div>
            <figcaption>
              {LEVELS.map((l) => (
                <span key={l} class="legend">
                  <span class={`swatch match-${l}`} /> {LABEL[l]} {pct(data.byConfidence[l] ?? 0, data.views)}
                </span>
              ))}
            </figcaption>
          </figure>
          <table>
            <caption>By method</caption>
            <thead>
              <tr>
                <th scope="col">Method</th>
                <th scope="col">Page views</th>
                <th scope="col">Share</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(data.byMethod)
                .sort((a, b) => b[1] - a[1])
                .map(([m, n]) => (
                  <tr key={m}>
                    <td>{METHOD[m] ?? m}</td>
                    <td>{count(n)}</td>
                    <td>{pct(n, data.views)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          <table>
            <caption>By page origin and by segment</caption>
            <thead>
              <tr>
                <th scope="col">Origin or segment</th>
                <th scope="col">Page views</th>
                <th scope="col">Resolved</th>
              </tr>
            </thead>
            <tbody>
              {data.origins.map((o) => (
                <tr key={o.origin}>
                  <td>
                    <code>{o.origin}</code>
                  </td>
                  <td>{count(o.views)}</td>
                  <td>{pct(resolved(o.byConfidence, o.views), o.views)}</td>
                </tr>
              ))}
              {data.segments.map((s) => (
                <tr key={s.segment ?? ''}>
                  <td>{s.segment ?? 'No segment'}</td>
                  <td>{count(s.views)}</td>
                  <td>{pct(resolved(s.byConfidence, s.views), s.views)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" class="secondary" onClick={() => void exportCsv()}>
            Export the match rate (CSV)
          </button>
        </>
      )}
    </section>
  );
}
