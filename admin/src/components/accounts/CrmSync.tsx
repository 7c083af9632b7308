import { useEffect, useState } from 'preact/hooks';
import type { CrmSyncStatus } from '../../../../shared/schemas';
import { DEFAULT_HUBSPOT_MAPPING } from '../../../../shared/crm/hubspot-mapping';
import { api, type Issue } from '../../api';
import { scope } from '../../issues';
import { notify, report as showError, saveEdit, session, useAppState } from '../../state';
import { Field } from '../common/Field';

const mappingText = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([p, f]) => `${p} = ${f}`)
    .join('\n');

/** `property = field` lines; blank lines and `#` comments are skipped. */
const parseMapping = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split('=').map((x) => x.trim()) as [string, string]),
  );

/** HubSpot sync: on or off, the secret holding the token, the field mapping (saved to the draft), and where the sync stands. */
export function CrmSync() {
  const { site, busy } = useAppState();
  const config = site!.draft.config;
  const [on, setOn] = useState(Boolean(config.crm));
  const [secret, setSecret] = useState(config.crm?.tokenSecret ?? 'HUBSPOT_TOKEN');
  const [mapping, setMapping] = useState(mappingText(config.crm?.mapping ?? DEFAULT_HUBSPOT_MAPPING));
  const [issues, setIssues] = useState<Issue[]>([]);
  const [status, setStatus] = useState<CrmSyncStatus | null>(null);
  const s = scope(issues, 'crm');

  useEffect(() => {
    if (config.crm) api.crmStatus(session()).then(setStatus).catch(() => setStatus(null));
  }, [site!.draft.revision]);

  const syncNow = async () => {
    try {
      setStatus(await api.crmSync(session()));
      notify('ok', 'The sync ran; more continues in the background.');
    } catch (err) {
      showError(err);
    }
  };

  return (
    <form
      class="card"
      aria-label="HubSpot sync"
      onSubmit={async (e) => {
        e.preventDefault();
        const result = await saveEdit(
          (c) => ({ ...c, crm: on ? { provider: 'hubspot', tokenSecret: secret.trim(), mapping: parseMapping(mapping) } : undefined }),
          'HubSpot sync saved to the draft: publish to start it.',
        );
        setIssues(result.ok ? [] : result.issues);
      }}
    >
      <h2>HubSpot sync</h2>
      <p class="hint">
        Companies modified in HubSpot reach the accounts every 10 minutes (CRM v3 search, within HubSpot's limits). The private app's token is a secret of the
        deploy: <code>wrangler secret put {secret || 'HUBSPOT_TOKEN'}</code>.
      </p>
      <label>
        <input type="checkbox" checked={on} onChange={(e) => setOn(e.currentTarget.checked)} /> Sync companies from HubSpot
      </label>
      {on && (
        <>
          <Field label="Secret holding the token" error={s.at('tokenSecret')}>
            {(p) => <input {...p} class="code" value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />}
          </Field>
          <Field
            label="Field mapping"
            error={s.at('mapping') ?? s.rest(['tokenSecret']).map((i) => i.message).join('; ')}
            hint={<>One per line: <code>hubspot_property = account field</code> (domain, name, industry, employees, country, stage, or attributes.&lt;key&gt;).</>}
          >
            {(p) => <textarea {...p} class="code" rows={9} spellcheck={false} value={mapping} onInput={(e) => setMapping(e.currentTarget.value)} />}
          </Field>
        </>
      )}
      <button type="submit" disabled={busy}>
        Save sync settings
      </button>
      {status && (
        <div class="crm-status" role="status" aria-label="Sync status">
          <p>
            {status.lastSyncedAt ? `Last synced ${status.lastSyncedAt.replace('T', ' ').slice(0, 16)} UTC` : 'Not synced yet'}
            {status.running ? ' · running' : ''}: {status.read} companies read, {status.written} accounts written, {status.refused} refused.
          </p>
          {status.lastFailure && <p class="notice error">{status.lastFailure}</p>}
          {status.errors.length > 0 && (
            <ul>
              {status.errors.map((e) => (
                <li key={e.id + e.field}>
                  Company {e.id}, {e.field}: {e.message}
                </li>
              ))}
            </ul>
          )}
          <button type="button" class="secondary" onClick={() => void syncNow()}>
            Sync now
          </button>
        </div>
      )}
    </form>
  );
}
