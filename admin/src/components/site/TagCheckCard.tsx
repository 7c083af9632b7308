import { useEffect, useState } from 'preact/hooks';
import type { TagCheck } from '../../../../shared/schemas';
import { api } from '../../api';
import { report, session } from '../../state';

const when = (iso: string) => new Date(iso).toLocaleString();

function status(o: TagCheck['origins'][number]) {
  if (!o.lastSeen) return <span class="badge">not seen yet</span>;
  if (o.tagCurrent === false) return <span class="badge warn">tag out of date: copy it again</span>;
  if (o.snippetCurrent === false) return <span class="badge warn">live (an older cached snippet)</span>;
  return <span class="badge ok">live</span>;
}

/** Is the tag live on each allowed origin? And which page views came from origins the site does not allow? */
export function TagCheckCard() {
  const [check, setCheck] = useState<TagCheck | null>(null);
  const load = async () => {
    try {
      setCheck(await api.tagCheck(session()));
    } catch (err) {
      report(err);
    }
  };
  useEffect(() => void load(), []);
  return (
    <div class="card" aria-labelledby="tag-check-title">
      <h2 id="tag-check-title">Tag check</h2>
      {!check ? (
        <p class="muted">Checking…</p>
      ) : (
        <>
          {check.origins.length === 0 && <p class="muted">Add the origins your pages are served from below, then open a page with the tag.</p>}
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Allowed origin</th>
                <th scope="col">Status</th>
                <th scope="col">Last page view</th>
              </tr>
            </thead>
            <tbody>
              {check.origins.map((o) => (
                <tr key={o.origin} data-testid="tag-origin">
                  <td>
                    <code>{o.origin}</code>
                  </td>
                  <td>{status(o)}</td>
                  <td>
                    {o.lastSeen ? `${when(o.lastSeen.at)} on ${o.lastSeen.origin}${o.lastSeen.path}` : '—'}
                    {o.lastSeen && <div class="muted">snippet {o.lastSeen.snippet ?? 'not reported'} · tag {o.lastSeen.tag ?? 'not reported'}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {check.refused.length > 0 && (
            <div role="alert" class="error-summary">
              <p>Page views from origins this site does not allow were refused (the page stayed as written). Add the origin below if it is yours:</p>
              <ul>
                {check.refused.map((r) => (
                  <li key={r.origin} data-testid="tag-refused">
                    <code>{r.origin}</code> — last {when(r.at)} on {r.path}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <button type="button" class="secondary" onClick={() => void load()}>
            Check again
          </button>
        </>
      )}
    </div>
  );
}
