import { useEffect, useState } from 'preact/hooks';
import type { ApiTokenInfo } from '../../../../shared/schemas';
import { type NewApiToken, api } from '../../api';
import { notify, report, session } from '../../state';
import { ConfirmButton } from '../common/ConfirmButton';
import { TableHead } from '../common/TableHead';
import { NewToken } from './NewToken';
import { TokenForm } from './TokenForm';

const when = (iso: string | null, none: string) => (iso ? <time dateTime={iso}>{new Date(iso).toLocaleString()}</time> : none);

function status(t: ApiTokenInfo) {
  if (t.revokedAt) return <>Revoked {when(t.revokedAt, '')}</>;
  if (t.expiresAt && Date.parse(t.expiresAt) <= Date.now()) return 'Expired';
  return 'Active';
}

/** This site's API tokens: each acts with one role on this site only, until it expires or is revoked. */
export function TokensCard() {
  const [tokens, setTokens] = useState<ApiTokenInfo[] | null>(null);
  const [created, setCreated] = useState<NewApiToken | null>(null);
  const load = () => api.tokens(session()).then(setTokens, report);
  useEffect(() => void load(), []);

  const revoke = async (t: ApiTokenInfo) => {
    try {
      await api.revokeToken(session(), t.id);
      notify('ok', `Revoked the token “${t.name}”: it is refused from now on.`);
      await load();
    } catch (err) {
      report(err);
    }
  };

  return (
    <section class="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p class="muted">For scripts and for people without Cloudflare Access: sign in with the token in place of the admin token. Only its hash is kept.</p>
      {created ? (
        <NewToken created={created} onDone={() => setCreated(null)} />
      ) : (
        <TokenForm
          onCreated={(c) => {
            setCreated(c);
            void load();
          }}
        />
      )}
      {tokens && tokens.length > 0 && (
        <div class="table-scroll">
          <table class="table">
            <TableHead caption="API tokens" columns={['Token', 'Role', 'Created', 'Last used', 'Expires', 'Status']} />
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <th scope="row">
                    {t.name}
                    <span class="muted id">{t.id}</span>
                  </th>
                  <td>{t.role}</td>
                  <td>
                    {t.createdBy}
                    <span class="muted id">{when(t.createdAt, '')}</span>
                  </td>
                  <td>{when(t.lastUsedAt, 'never')}</td>
                  <td>{when(t.expiresAt, 'never')}</td>
                  <td>{status(t)}</td>
                  <td class="row-actions">
                    {!t.revokedAt && (
                      <ConfirmButton
                        label={`Revoke ${t.name}`}
                        question={`Revoke “${t.name}”? Whatever uses it is refused at once.`}
                        confirmLabel="Revoke"
                        onConfirm={() => revoke(t)}
                      >
                        Revoke
                      </ConfirmButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {tokens?.length === 0 && <p class="muted">No tokens yet.</p>}
    </section>
  );
}
