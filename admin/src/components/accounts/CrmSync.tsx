import { useEffect, useState } from 'preact/hooks';
import type { CrmConfig, CrmSyncStatus } from '../../../../shared/schemas';
import { DEFAULT_HUBSPOT_MAPPING } from '../../../../shared/crm/hubspot-mapping';
import { DEFAULT_SALESFORCE_MAPPING } from '../../../../shared/crm/salesforce-mapping';
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

const DEFAULTS = { hubspot: DEFAULT_HUBSPOT_MAPPING, salesforce: DEFAULT_SALESFORCE_MAPPING };
const NAMES = { hubspot: 'HubSpot', salesforce: 'Salesforce' };
type Provider = keyof typeof DEFAULTS;

/**
 * CRM sync: off, HubSpot or Salesforce; the secrets holding its credentials, the field mapping, the
 * optional segment write-back (saved to the draft); and where the sync stands.
 */
export function CrmSync() {
  const { site, busy } = useAppState();
  const crm = site!.draft.config.crm;
  const [provider, setProvider] = useState<Provider | ''>(crm?.provider ?? '');
  const [token, setToken] = useState(crm?.provider === 'hubspot' ? crm.tokenSecret : 'HUBSPOT_TOKEN');
  const [loginUrl, setLoginUrl] = useState(crm?.provider === 'salesforce' ? crm.loginUrl : '');
  const [clientId, setClientId] = useState(crm?.provider === 'salesforce' ? crm.clientIdSecret : 'SALESFORCE_CLIENT_ID');
  const [clientSecret, setClientSecret] = useState(crm?.provider === 'salesforce' ? crm.clientSecretSecret : 'SALESFORCE_CLIENT_SECRET');
  const [mapping, setMapping] = useState(mappingText(crm?.mapping ?? DEFAULTS[crm?.provider ?? 'hubspot']));
  const [segmentField, setSegmentField] = useState(crm?.writeBack?.segmentField ?? '');
  const [enteredAtField, setEnteredAtField] = useState(crm?.writeBack?.enteredAtField ?? '');
  const [pipeline, setPipeline] = useState(!!crm?.pipeline);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [status, setStatus] = useState<CrmSyncStatus | null>(null);
  const s = scope(issues, 'crm');
  const name = provider ? NAMES[provider] : 'CRM';
  const deals = provider === 'salesforce' ? 'opportunities' : 'deals';

  useEffect(() => {
    if (crm) api.crmStatus(session()).then(setStatus).catch(() => setStatus(null));
  }, [site!.draft.revision]);

  const pick = (next: Provider | '') => {
    // one CRM's field names mean nothing to the other: a new CRM starts from its default mapping
    if (next && next !== (provider || crm?.provider)) setMapping(mappingText(DEFAULTS[next]));
    setProvider(next);
  };

  const edited = (): CrmConfig | undefined => {
    if (!provider) return undefined;
    const writeBack = segmentField.trim() ? { segmentField: segmentField.trim(), ...(enteredAtField.trim() && { enteredAtField: enteredAtField.trim() }) } : undefined;
    const common = { mapping: parseMapping(mapping), ...(writeBack && { writeBack }), ...(pipeline && { pipeline }) };
    return provider === 'hubspot'
      ? { provider, tokenSecret: token.trim(), ...common }
      : { provider, loginUrl: loginUrl.trim(), clientIdSecret: clientId.trim(), clientSecretSecret: clientSecret.trim(), ...common };
  };

  const syncNow = async () => {
    try {
      setStatus(await api.crmSync(session()));
      notify('ok', 'The sync ran; more continues in the background.');
    } catch (err) {
      showError(err);
    }
  };

  const secretField = (label: string, path: string, value: string, set: (v: string) => void) => (
    <Field label={label} error={s.at(path)} hint={<code>wrangler secret put {value || '…'}</code>}>
      {(p) => <input {...p} class="code" value={value} onInput={(e) => set(e.currentTarget.value)} />}
    </Field>
  );

  return (
    <form
      class="card"
      aria-label="CRM sync"
      onSubmit={async (e) => {
        e.preventDefault();
        const result = await saveEdit((c) => ({ ...c, crm: edited() }), `${name} sync saved to the draft: publish to start it.`);
        setIssues(result.ok ? [] : result.issues);
      }}
    >
      <h2>CRM sync</h2>
      <p class="hint">
        Records modified in the CRM reach the accounts every 10 minutes, within its API limits. Credentials are secrets of the deploy, named here, never stored in
        the config.
      </p>
      <Field label="Sync accounts from">
        {(p) => (
          <select {...p} value={provider} onChange={(e) => pick(e.currentTarget.value as Provider | '')}>
            <option value="">No CRM</option>
            <option value="hubspot">HubSpot (companies)</option>
            <option value="salesforce">Salesforce (accounts)</option>
          </select>
        )}
      </Field>
      {provider === 'hubspot' && secretField('Secret holding the private app token', 'tokenSecret', token, setToken)}
      {provider === 'salesforce' && (
        <>
          <Field label="My Domain login URL" error={s.at('loginUrl')} hint="The connected app uses the OAuth client-credentials flow.">
            {(p) => <input {...p} class="code" placeholder="https://acme.my.salesforce.com" value={loginUrl} onInput={(e) => setLoginUrl(e.currentTarget.value)} />}
          </Field>
          {secretField('Secret holding the consumer key', 'clientIdSecret', clientId, setClientId)}
          {secretField('Secret holding the consumer secret', 'clientSecretSecret', clientSecret, setClientSecret)}
        </>
      )}
      {provider && (
        <>
          <Field
            label="Field mapping"
            error={s.at('mapping') ?? s.rest(['tokenSecret', 'loginUrl', 'clientIdSecret', 'clientSecretSecret', 'writeBack']).map((i) => i.message).join('; ')}
            hint={<>One per line: <code>{provider === 'hubspot' ? 'hubspot_property' : 'SalesforceField'} = account field</code> (domain, name, industry, employees, country, stage, tier, or attributes.&lt;key&gt;).</>}
          >
            {(p) => <textarea {...p} class="code" rows={9} spellcheck={false} value={mapping} onInput={(e) => setMapping(e.currentTarget.value)} />}
          </Field>
          <Field label="Write the segment back to" error={s.at('writeBack')} hint={`Optional: a text ${provider === 'hubspot' ? 'property' : 'field'} that gets the account's segment id when it changes (batched, once per change).`}>
            {(p) => <input {...p} class="code" placeholder={provider === 'hubspot' ? 'pz_segment' : 'PZ_Segment__c'} value={segmentField} onInput={(e) => setSegmentField(e.currentTarget.value)} />}
          </Field>
          {segmentField.trim() && (
            <Field label="and its entry time to" error={s.at('writeBack.enteredAtField')}>
              {(p) => <input {...p} class="code" placeholder={provider === 'hubspot' ? 'pz_segment_entered_at' : 'PZ_Segment_Entered__c'} value={enteredAtField} onInput={(e) => setEnteredAtField(e.currentTarget.value)} />}
            </Field>
          )}
          <div class="field">
            <label>
              <input type="checkbox" checked={pipeline} onChange={(e) => setPipeline(e.currentTarget.checked)} /> Also read {deals}, for the report's Pipeline
            </label>
          </div>
        </>
      )}
      <button type="submit" disabled={busy}>
        Save sync settings
      </button>
      {status && (
        <div class="crm-status" role="status" aria-label="Sync status">
          <p>
            {status.lastSyncedAt ? `Last synced ${status.lastSyncedAt.replace('T', ' ').slice(0, 16)} UTC` : 'Not synced yet'}
            {status.running ? ' · running' : ''}: {status.read} records read, {status.written} accounts written, {status.refused} refused.
          </p>
          <Problems failure={status.lastFailure} errors={status.errors} />
          {status.pipeline && (
            <>
              <p>
                Pipeline: {status.pipeline.read} {deals} read, {status.pipeline.written} written, {status.pipeline.unmatched} without a synced account, {status.pipeline.refused} refused.
              </p>
              <Problems failure={status.pipeline.lastFailure} errors={status.pipeline.errors} />
            </>
          )}
          {status.writeBack && (
            <>
              <p>
                Segment write-back: {status.writeBack.written} changes written{status.writeBack.lastWrittenAt ? ` (last ${status.writeBack.lastWrittenAt.replace('T', ' ').slice(0, 16)} UTC)` : ''}, {status.writeBack.pending} waiting.
              </p>
              <Problems failure={status.writeBack.lastFailure} errors={status.writeBack.errors} />
            </>
          )}
          <button type="button" class="secondary" onClick={() => void syncNow()}>
            Sync now
          </button>
        </div>
      )}
    </form>
  );
}

/** A stream's last failure, and the records it refused: the CRM's id, the field and why. */
function Problems({ failure, errors }: { failure: string | null; errors: { id: string; field: string; message: string }[] }) {
  return (
    <>
      {failure && <p class="notice error">{failure}</p>}
      {errors.length > 0 && (
        <ul>
          {errors.map((e) => (
            <li key={e.id + e.field}>
              Record {e.id}, {e.field}: {e.message}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
