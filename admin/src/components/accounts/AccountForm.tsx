import { useState } from 'preact/hooks';
import { Account, IntentStage } from '../../../../shared/schemas';
import { ApiError, type Issue, api } from '../../api';
import { type AccountDraft, fromForm, toForm } from '../../account-form';
import { zodIssues } from '../../issues';
import { notify, refreshCounts, report, session } from '../../state';
import { ErrorSummary } from '../common/ErrorSummary';
import { Field } from '../common/Field';
import { useFocusOnMount } from '../../focus';

const FIELDS: { key: keyof AccountDraft; label: string; hint?: string; rows?: number; numeric?: boolean }[] = [
  { key: 'name', label: 'Name' },
  { key: 'industry', label: 'Industry' },
  { key: 'subIndustry', label: 'Sub-industry' },
  { key: 'employees', label: 'Employees', numeric: true },
  { key: 'revenueBand', label: 'Revenue band', hint: 'e.g. $100M-$1B' },
  { key: 'country', label: 'Country', hint: 'Two-letter code, e.g. US' },
  { key: 'region', label: 'Region' },
  { key: 'fundingStage', label: 'Funding stage' },
  { key: 'tech', label: 'Tech stack', hint: 'One per line', rows: 3 },
  { key: 'orgNames', label: 'Network names', hint: 'Names its networks go by, one per line', rows: 2 },
  { key: 'ipRanges', label: 'IP ranges', hint: 'CIDR, one per line, e.g. 192.0.2.0/24', rows: 2 },
  { key: 'tier', label: 'Tier', hint: '1 (best) to 3; empty: by the fit formula', numeric: true },
  { key: 'fitScore', label: 'Fit score', hint: '0–100; empty: by the fit formula', numeric: true },
  { key: 'attributes', label: 'Other attributes', hint: 'key=value, one per line', rows: 2 },
];

/** Creates or edits one account; validated with the shared Account schema before it is sent. */
export function AccountForm({ account, onClose }: { account: Account | undefined; onClose: (saved: boolean) => void }) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const [draft, setDraft] = useState<AccountDraft>(() => toForm(account));
  const [issues, setIssues] = useState<Issue[]>([]);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof AccountDraft, value: string) => setDraft((d) => ({ ...d, [key]: value }));
  // `tech.3` is shown at the tech field
  const err = (key: string) => issues.find((i) => i.path === key || i.path.startsWith(`${key}.`))?.message;
  const claimed = ['domain', 'stage', ...FIELDS.map((f) => f.key)];

  const submit = async () => {
    const parsed = Account.safeParse(fromForm(draft));
    if (!parsed.success) return setIssues(zodIssues(parsed.error));
    setBusy(true);
    try {
      await api.putAccount(session(), parsed.data);
      notify('ok', `Saved ${parsed.data.name} (${parsed.data.domain}).`);
      void refreshCounts();
      onClose(true);
    } catch (e) {
      if (e instanceof ApiError && e.issues.length) setIssues(e.issues);
      else report(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="card form"
      aria-labelledby="account-form-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onKeyDown={(e) => e.key === 'Escape' && onClose(false)}
    >
      <h2 id="account-form-title" tabIndex={-1} ref={heading}>{account ? `Edit ${account.name}` : 'New account'}</h2>
      <ErrorSummary fieldErrors={claimed.filter((k) => err(k)).length} rest={issues.filter((i) => !claimed.includes(i.path.split('.')[0]!))} />
      <div class="grid-2">
        <Field label="Domain" error={err('domain')} hint={account ? 'The domain identifies the account.' : 'e.g. acme.com'}>
          {(p) => <input {...p} value={draft.domain} readOnly={!!account} spellcheck={false} onInput={(e) => set('domain', e.currentTarget.value)} />}
        </Field>
        <Field label="Stage" error={err('stage')}>
          {(p) => (
            <select {...p} value={draft.stage} onChange={(e) => set('stage', e.currentTarget.value)}>
              <option value="">(unknown)</option>
              {IntentStage.options.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          )}
        </Field>
        {FIELDS.map((f) => (
          <Field key={f.key} label={f.label} error={err(f.key)} hint={f.hint}>
            {(p) =>
              f.rows ? (
                <textarea {...p} rows={f.rows} value={draft[f.key]} onInput={(e) => set(f.key, e.currentTarget.value)} />
              ) : f.numeric ? (
                <input {...p} type="number" min={0} value={draft[f.key]} onInput={(e) => set(f.key, e.currentTarget.value)} />
              ) : (
                <input {...p} value={draft[f.key]} onInput={(e) => set(f.key, e.currentTarget.value)} />
              )
            }
          </Field>
        ))}
      </div>
      <div class="form-actions">
        <button type="submit" disabled={busy}>
          Save account
        </button>
        <button type="button" class="secondary" onClick={() => onClose(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
