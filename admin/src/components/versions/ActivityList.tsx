import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry } from '../../../../shared/schemas';
import { api } from '../../api';
import { report, session } from '../../state';

const SHOWN = 50;

/** The audit trail: who changed what on this site, newest first, as the edge verified them. */
export function ActivityList() {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  useEffect(() => {
    api.audit(session()).then((all) => setEntries(all.slice(0, SHOWN)), report);
  }, []);
  return (
    <section class="card" aria-labelledby="activity-title">
      <h2 id="activity-title">Activity</h2>
      {!entries ? (
        <p class="muted">Loading…</p>
      ) : entries.length === 0 ? (
        <p class="muted">No changes recorded yet.</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">Activity, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={`${e.at}/${i}`}>
                <td>
                  <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>
                </td>
                <td>{e.actor}</td>
                <td>
                  {e.detail || e.action}
                  {e.detail && <span class="muted id">{e.action}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
