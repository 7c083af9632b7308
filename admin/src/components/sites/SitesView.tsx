import { canCreateSites, switchSite, useAppState } from '../../state';
import { TableHead } from '../common/TableHead';
import { ViewHeading } from '../common/ViewHeading';
import { NewSiteForm } from './NewSiteForm';

/** The sites the user has a role on, to open one; for owners of every site, a new one. */
export function SitesView() {
  const { sites, session, me, busy } = useAppState();
  return (
    <section aria-labelledby="sites-title">
      <ViewHeading intro="Each site has its own tag, team, accounts and report.">
        <span id="sites-title">Sites</span>
      </ViewHeading>
      <div class="card">
        <table class="table">
          <TableHead caption="Your sites" columns={['Site', 'Id', 'Your role', 'Status']} />
          <tbody>
            {(sites ?? []).map((s) => (
              <tr key={s.id}>
                <th scope="row">{s.name}</th>
                <td>
                  <code>{s.id}</code>
                </td>
                <td>{s.role}</td>
                <td>{s.archivedAt ? <span class="badge warn">archived</span> : <span class="badge ok">served</span>}</td>
                <td class="row-actions">
                  {s.id === session?.site ? (
                    <span class="muted">open now</span>
                  ) : (
                    <button type="button" class="secondary" aria-label={`Open ${s.name}`} disabled={busy} onClick={() => void switchSite(s.id)}>
                      Open
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canCreateSites(me) ? (
        <div class="card">
          <NewSiteForm />
        </div>
      ) : (
        <p class="muted">Only an owner of every site can create one: ask them.</p>
      )}
    </section>
  );
}
