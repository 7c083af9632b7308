import type { Account, AccountPage } from '../../../../shared/schemas';
import { latestIntent } from '../../../../shared/rules/intent';
import { Allowed } from '../common/Allowed';
import { ConfirmButton } from '../common/ConfirmButton';

interface Props {
  account: Account;
  /** Its fit by the draft's formula (what the draft's counts and previews use), if the draft has one. */
  fit: NonNullable<AccountPage['fit']>[string] | undefined;
  onEdit: () => void;
  onRemove: () => Promise<void>;
}

/** `Data Platform 82, CRM 71 (2026-03-02)`: the newest week's three best topics. */
function intentSummary(account: Account): string {
  const latest = latestIntent(account.intent);
  return latest.length ? `${latest.slice(0, 3).map((s) => `${s.topic} ${s.score}`).join(', ')} (${latest[0]!.week})` : '—';
}

/** One account of the list, with its fit as the draft's formula gives it; edits act on the account as stored. */
export function AccountRow({ account: a, fit, onEdit, onRemove }: Props) {
  return (
    <tr>
      <th scope="row">
        {a.name}
        <span class="muted id">{a.domain}</span>
      </th>
      <td>{a.industry ?? '—'}</td>
      <td class="num">{a.employees?.toLocaleString() ?? '—'}</td>
      <td>{a.stage ?? '—'}</td>
      <td class="num">{fit?.tier ?? a.tier ?? '—'}</td>
      <td class="num">{fit?.fitScore ?? a.fitScore ?? '—'}</td>
      <td class="muted">{intentSummary(a)}</td>
      <td class="muted">{(a.tech ?? []).join(', ') || '—'}</td>
      <td class="row-actions">
        <Allowed role="editor">
          <button type="button" class="secondary" aria-label={`Edit ${a.name}`} onClick={onEdit}>
            Edit
          </button>
          <ConfirmButton label={`Delete ${a.name}`} question={`Delete ${a.name}?`} confirmLabel="Delete" onConfirm={onRemove}>
            Delete
          </ConfirmButton>
        </Allowed>
      </td>
    </tr>
  );
}
