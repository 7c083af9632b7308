import { useState } from 'preact/hooks';
import { CreateTokenRequest, type Role } from '../../../../shared/schemas';
import { ApiError, type Issue, type NewApiToken, api } from '../../api';
import { zodIssues } from '../../issues';
import { report, session } from '../../state';
import { Field } from '../common/Field';
import { RoleSelect } from './RoleSelect';

/** Creates an API token for this site (for a script, a CI job or a colleague without Access). */
export function TokenForm({ onCreated }: { onCreated: (created: NewApiToken) => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [days, setDays] = useState('');
  const [issues, setIssues] = useState<Issue[]>([]);
  const [busy, setBusy] = useState(false);
  const at = (path: string) => issues.find((i) => i.path === path)?.message;

  const create = async () => {
    const parsed = CreateTokenRequest.safeParse({ name, role, ...(days.trim() && { expiresInDays: Number(days) }) });
    if (!parsed.success) return setIssues(zodIssues(parsed.error));
    setIssues([]);
    setBusy(true);
    try {
      onCreated(await api.createToken(session(), parsed.data));
      setName('');
      setDays('');
    } catch (err) {
      if (err instanceof ApiError && err.issues.length) setIssues(err.issues);
      else report(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form aria-labelledby="new-token-form-title" onSubmit={(e) => (e.preventDefault(), void create())}>
      <h3 id="new-token-form-title">Create a token</h3>
      <div class="grid-2">
        <Field label="Token name" error={at('name')} hint="What uses it, e.g. “CRM sync”.">
          {(p) => <input {...p} value={name} maxLength={80} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <RoleSelect value={role} onChange={setRole} error={at('role')} />
        <Field label="Expires after (days, optional)" error={at('expiresInDays')} hint="1–366; empty: until revoked.">
          {(p) => <input {...p} type="number" min={1} max={366} value={days} onInput={(e) => setDays(e.currentTarget.value)} />}
        </Field>
      </div>
      <button type="submit" disabled={busy}>
        Create token
      </button>
    </form>
  );
}
