import { signIn, signOut, useAppState } from '../../state';

/** Signed in, but with no role on this site: who they are, and who can let them in. */
export function NoRole() {
  const { me, session, busy } = useAppState();
  const elsewhere = [...new Set(me!.grants.map((g) => g.site))].filter((s) => s !== '*' && s !== session!.site);
  return (
    <main class="signin">
      <section class="card" aria-labelledby="no-role-title">
        <h1 id="no-role-title">No access to this site</h1>
        <p>
          You are signed in as <strong data-testid="whoami-name">{me!.name}</strong>, which has no role on the site <code>{session!.site}</code>.
        </p>
        <p>An owner of this site must add you (Team, in this admin) before you can see or change anything here.</p>
        {elsewhere.length > 0 && (
          <>
            <p>You have a role on:</p>
            <ul>
              {elsewhere.map((site) => (
                <li key={site}>
                  <button type="button" class="link" disabled={busy} onClick={() => void signIn({ token: session!.token, site })}>
                    Open {site}
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
