import { canCreateSites, signOut, switchSite, useAppState } from '../../state';
import { NewSiteForm } from '../sites/NewSiteForm';

/** Signed in, but the site does not exist or the user has none: what to do first. */
export function NoSite() {
  const { me, session, sites, busy } = useAppState();
  const missing = session!.site;
  const others = (sites ?? []).filter((s) => s.id !== missing);
  return (
    <main class="signin">
      <section class="card" aria-labelledby="no-site-title">
        <h1 id="no-site-title">{missing ? `There is no site “${missing}” yet` : 'No sites yet'}</h1>
        <p>
          You are signed in as <strong>{me!.name}</strong>.{' '}
          {canCreateSites(me)
            ? 'Start by creating a site: you get the tag to paste into your pages.'
            : 'Ask an owner to create your site, or to add you to one (Team, in this admin).'}
        </p>
        {canCreateSites(me) && <NewSiteForm initialId={missing} />}
        {others.length > 0 && (
          <>
            <p>Or open a site you have a role on:</p>
            <ul>
              {others.map((s) => (
                <li key={s.id}>
                  <button type="button" class="link" disabled={busy} onClick={() => void switchSite(s.id)}>
                    Open {s.name} ({s.id})
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
        <button type="button" class="secondary" onClick={() => signOut()}>
          Sign out
        </button>
      </section>
    </main>
  );
}
