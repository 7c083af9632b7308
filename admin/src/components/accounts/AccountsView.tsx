import { useEffect, useState } from 'preact/hooks';
import type { Account, AccountPage } from '../../../../shared/schemas';
import { api } from '../../api';
import { download } from '../../download';
import { loadSampleAccounts, notify, refreshCounts, report, session, useAppState } from '../../state';
import { AccountForm } from './AccountForm';
import { AccountImport } from './AccountImport';
import { AccountRow } from './AccountRow';
import { SignedLinks } from './SignedLinks';
import { CrmSync } from './CrmSync';
import { IntentImport } from './IntentImport';
import { RecentAlerts } from './RecentAlerts';
import { SalesAlerts } from './SalesAlerts';
import { Allowed } from '../common/Allowed';
import { Field } from '../common/Field';
import { ViewHeading } from '../common/ViewHeading';
import { TableHead } from '../common/TableHead';

/** Search, edit, delete, import and export the site's accounts; their intent, the HubSpot sync and sales alerts. */
export function AccountsView() {
  const { session: s } = useAppState();
  // a link such as a sales alert's names the account: `#/accounts?q=<domain>`
  const [q, setQ] = useState(() => new URLSearchParams(location.hash.split('?')[1] ?? '').get('q') ?? '');
  const [page, setPage] = useState<AccountPage | null>(null);
  const [editing, setEditing] = useState<{ account: Account | undefined } | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let stale = false;
    const t = setTimeout(async () => {
      try {
        const result = await api.accounts(session(), q.trim());
        if (!stale) setPage(result);
      } catch (err) {
        report(err);
      }
    }, 200);
    return () => {
      stale = true;
      clearTimeout(t);
    };
  }, [q, reload]);

  const more = async () => {
    if (!page?.next) return;
    try {
      const next = await api.accounts(session(), q.trim(), page.next);
      setPage({ ...next, accounts: [...page.accounts, ...next.accounts], fit: { ...page.fit, ...next.fit } });
    } catch (err) {
      report(err);
    }
  };

  const exportCsv = async () => {
    try {
      download(await api.exportAccounts(session()), `${s!.site}-accounts.csv`);
      notify('ok', 'The accounts CSV is downloading.');
    } catch (err) {
      report(err);
    }
  };

  const remove = async (a: Account) => {
    try {
      await api.deleteAccount(session(), a.domain);
      notify('ok', `Deleted ${a.name} (${a.domain}).`);
      setReload((n) => n + 1);
      void refreshCounts();
      void loadSampleAccounts(true);
    } catch (err) {
      report(err);
    }
  };

  return (
    <section>
      <ViewHeading intro="The companies your visitors are matched to. Segment rules read their fields.">Accounts</ViewHeading>
      {editing && (
        <AccountForm
          key={editing.account?.domain ?? '(new)'}
          account={editing.account}
          onClose={(saved) => {
            setEditing(null);
            if (saved) {
              setReload((n) => n + 1);
              void loadSampleAccounts(true);
            }
          }}
        />
      )}
      <div class="card">
        <div class="toolbar">
          <Field label="Search by domain or name" class="grow">
            {(p) => <input {...p} type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />}
          </Field>
          <Allowed role="editor">
            <button type="button" onClick={() => setEditing({ account: undefined })}>
              New account
            </button>
          </Allowed>
          <button type="button" class="secondary" onClick={() => void exportCsv()}>
            Export CSV
          </button>
        </div>
        <p class="muted" role="status">
          {page ? `${page.total.toLocaleString()} account${page.total === 1 ? '' : 's'}${q.trim() ? ` match “${q.trim()}”` : ''}` : 'Loading…'}
        </p>
        {page && page.accounts.length > 0 && (
          <div class="table-scroll">
            <table class="table">
              <TableHead caption="Accounts" columns={['Account', 'Industry', 'Employees', 'Stage', 'Tier', 'Fit', 'Intent', 'Tech']} />
              <tbody>
                {page.accounts.map((a) => (
                  <AccountRow key={a.domain} account={a} fit={page.fit?.[a.domain]} onEdit={() => setEditing({ account: a })} onRemove={() => remove(a)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {page?.next && (
          <button type="button" class="secondary" onClick={() => void more()}>
            Show more
          </button>
        )}
      </div>
      <Allowed role="editor">
        <SignedLinks />
        <AccountImport onImported={() => setReload((n) => n + 1)} />
        <IntentImport onImported={() => setReload((n) => n + 1)} />
        <CrmSync />
      </Allowed>
      <SalesAlerts />
      <RecentAlerts />
    </section>
  );
}
