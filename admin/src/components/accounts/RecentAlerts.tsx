import { useEffect, useState } from 'preact/hooks';
import type { AlertRecord } from '../../../../shared/schemas';
import { api } from '../../api';
import { report, session } from '../../state';

type Delivery = AlertRecord['deliveries'][number];

const CHANNEL = { slack: 'Slack', webhook: 'Webhook' } as const;
const TONE: Partial<Record<Delivery['status'], string>> = { delivered: 'ok', retrying: 'warn', unknown: 'warn', failed: 'bad', 'dead-lettered': 'bad' };

/** `Slack delivered · 1 attempt · HTTP 200`, with the last error when there is one. */
function DeliveryLine({ d }: { d: Delivery }) {
  return (
    <div data-testid="delivery">
      <span class={`badge ${TONE[d.status] ?? ''}`}>
        {CHANNEL[d.channel]} {d.status}
      </span>{' '}
      <span class="muted">
        {d.attempts} {d.attempts === 1 ? 'attempt' : 'attempts'}
        {d.lastStatus !== null && ` · HTTP ${d.lastStatus}`}
        {d.lastError && `: ${d.lastError}`}
      </span>
    </div>
  );
}

/** The site's recent sales alerts, newest first, with each channel's delivery (GET …/alerts). */
export function RecentAlerts() {
  const [alerts, setAlerts] = useState<AlertRecord[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const load = async (before: string | null = null) => {
    try {
      const page = await api.alerts(session(), before);
      setAlerts(before ? [...(alerts ?? []), ...page.alerts] : page.alerts);
      setNext(page.next);
    } catch (err) {
      report(err);
    }
  };
  useEffect(() => void load(), []);

  return (
    <div class="card" aria-labelledby="recent-alerts-title">
      <h2 id="recent-alerts-title">Recent alerts</h2>
      {!alerts ? (
        <p class="muted">Loading…</p>
      ) : alerts.length === 0 ? (
        <p class="muted">No alerts yet. One is sent when a known account enters an alerting segment on a page of the published site.</p>
      ) : (
        <div class="table-scroll">
          <table class="table">
            <caption class="visually-hidden">Recent alerts</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Account</th>
                <th scope="col">Segment</th>
                <th scope="col">Delivery</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id}>
                  <td>{new Date(a.enteredAt).toLocaleString()}</td>
                  <th scope="row">
                    {a.payload.account.name ?? a.account}
                    <span class="muted id">{a.account}</span>
                  </th>
                  <td>
                    {a.payload.segment.name}
                    <span class="muted id">on {a.payload.page}</span>
                  </td>
                  <td>
                    {a.deliveries.map((d) => (
                      <DeliveryLine key={d.channel} d={d} />
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="form-actions">
        <button type="button" class="secondary" onClick={() => void load()}>
          Refresh
        </button>
        {next && (
          <button type="button" class="secondary" onClick={() => void load(next)}>
            Show older
          </button>
        )}
      </div>
    </div>
  );
}
