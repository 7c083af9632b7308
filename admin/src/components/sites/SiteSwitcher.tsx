import { useId } from 'preact/hooks';
import { switchSite, useAppState } from '../../state';

/** The top bar's choice of site, among those the user has a role on; the session stays. */
export function SiteSwitcher() {
  const { sites, session, busy } = useAppState();
  const id = useId();
  if (!sites?.length || !session) return null;
  const listed = sites.some((s) => s.id === session.site);
  return (
    <div>
      <label for={id} class="visually-hidden">
        Switch site
      </label>
      <select id={id} value={session.site} disabled={busy} onChange={(e) => void switchSite(e.currentTarget.value)}>
        {!listed && <option value={session.site}>{session.site}</option>}
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name} ({s.id}){s.archivedAt ? ', archived' : ''}
          </option>
        ))}
      </select>
    </div>
  );
}
