import { useState } from 'preact/hooks';
import { signIn, useAppState } from '../../state';
import { Field } from '../common/Field';

const siteFromUrl = () => new URLSearchParams(location.search).get('site') ?? 'demo';

/** The admin token (ADMIN_TOKEN) and the site to edit; the token is kept in sessionStorage only. */
export function SignIn() {
  const { signInMessage, busy } = useAppState();
  const [token, setToken] = useState('');
  const [site, setSite] = useState(siteFromUrl);
  const [user, setUser] = useState('');
  return (
    <main class="signin">
      <form
        class="card"
        aria-labelledby="signin-title"
        onSubmit={(e) => {
          e.preventDefault();
          void signIn({ token: token.trim(), site: site.trim(), ...(user.trim() && { user: user.trim() }) });
        }}
      >
        <h1 id="signin-title">Personalization admin</h1>
        <p class="muted">Sign in with the admin token of this edge.</p>
        <div role="alert" class={signInMessage ? 'error-summary' : 'visually-hidden'}>
          {signInMessage}
        </div>
        <Field label="Admin token" hint={<>Locally, <code>npm start</code> prints it (it is in <code>.dev.vars</code>).</>}>
          {(p) => (
            <input {...p} type="password" required autocomplete="current-password" value={token} onInput={(e) => setToken(e.currentTarget.value)} />
          )}
        </Field>
        <Field label="Site id">
          {(p) => <input {...p} required autocomplete="username" value={site} spellcheck={false} onInput={(e) => setSite(e.currentTarget.value)} />}
        </Field>
        <Field label="Your name (optional)" hint="Recorded with your saves and publishes in the version history.">
          {(p) => <input {...p} autocomplete="name" value={user} onInput={(e) => setUser(e.currentTarget.value)} />}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
