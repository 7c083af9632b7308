import { publish, signOut, useAppState } from '../../state';
import { Allowed } from '../common/Allowed';
import { SiteSwitcher } from '../sites/SiteSwitcher';

/** The site (and the switch to another), who is signed in with which role, whether the draft has unpublished changes, Publish, and sign out. */
export function TopBar() {
  const { site, session, me, busy } = useAppState();
  const live = site?.live;
  return (
    <header class="topbar">
      <div class="brand">
        <span class="logo" aria-hidden="true">
          pz
        </span>
        <div>
          <span class="site-name">{site?.draft.config.name ?? session?.site}</span>
          <span class="site-id">site {session?.site}</span>
        </div>
        <SiteSwitcher />
      </div>
      <div class="publish">
        {me && (
          <span class="who" data-testid="whoami">
            <span class="visually-hidden">Signed in as </span>
            {me.name} · {me.role ?? 'no role'}
          </span>
        )}
        {site?.archivedAt && <span class="badge warn">Archived</span>}
        <span aria-live="polite">
          {site &&
            (site.unpublished ? (
              <span class="badge warn" data-testid="unpublished">
                Unpublished changes
              </span>
            ) : (
              <span class="badge ok">{live ? `Live: version ${live.version}` : 'Nothing published yet'}</span>
            ))}
        </span>
        <Allowed role="publisher">
          <button type="button" disabled={busy || !site?.unpublished} onClick={() => void publish()}>
            Publish
          </button>
        </Allowed>
        <button type="button" class="secondary" onClick={() => signOut()}>
          Sign out
        </button>
      </div>
    </header>
  );
}
