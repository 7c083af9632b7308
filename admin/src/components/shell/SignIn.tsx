import { useState } from 'preact/hooks';
import { signIn, siteInUrl, useAppState } from '../../state';
import { Field } from '../common/Field';

/** An API token or the admin token, and the site to edit (empty: the first one); the token is kept in sessionStorage only. */
export function SignIn() {
  const { signInMessage, busy } = useAppState();
  const [token, setToken] = useState('');
  const [site, setSite] = useState(() => siteInUrl() ?? '');
  return (
    <main class="signin">
      <form
        class="card"
        aria-labelledby="signin-title"
        onSubmit={(e) => {
          e.preventDefault();
          void signIn({ token: token.trim(), site: site.trim() });
        }}
      >
        <h1 id="signin-title">Personalization admin</h1>
        <p class="muted">Behind Cloudflare Access you are signed in automatically. Otherwise, paste an API token or the admin token of this edge.</p>
        <div role="alert" class={signInMessage ? 'error-summary' : 'visually-hidden'}>
          {signInMessage}
        </div>
        <Field
          label="Admin token"
          hint={
            <>
              An API token (<code>pzt_…</code>) from an owner, or the admin token: locally, <code>npm start</code> prints it (it is in <code>.dev.vars</code>).
              Empty: rely on Cloudflare Access.
            </>
          }
        >
          {(p) => (
            <input {...p} type="password" autocomplete="current-password" value={token} onInput={(e) => setToken(e.currentTarget.value)} />
          )}
        </Field>
        <Field label="Site id" hint="Optional: empty opens your first site.">
          {(p) => <input {...p} autocomplete="username" value={site} spellcheck={false} onInput={(e) => setSite(e.currentTarget.value)} />}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
