import { useEffect } from 'preact/hooks';
import { loadVersions, rollback, useAppState } from '../../state';
import { Allowed } from '../common/Allowed';
import { ConfirmButton } from '../common/ConfirmButton';
import { ViewHeading } from '../common/ViewHeading';
import { TableHead } from '../common/TableHead';
import { ActivityList } from './ActivityList';

/** Every published version, newest first, with roll back (publishers), and who did what on the site. */
export function VersionsView() {
  const { versions, site, busy } = useAppState();
  useEffect(() => void loadVersions(), []);
  const live = site?.live?.version;
  return (
    <section>
      <ViewHeading intro="Rolling back publishes an earlier version again, as a new version, and makes it the draft.">Versions</ViewHeading>
      {!versions ? (
        <p class="muted">Loading…</p>
      ) : versions.length === 0 ? (
        <p class="muted">Nothing has been published yet.</p>
      ) : (
        <table class="table">
          <TableHead caption="Published versions" columns={['Version', 'Published', 'By', 'Summary']} />
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <th scope="row">
                  v{v.version} {v.version === live && <span class="badge ok">live</span>}
                </th>
                <td>
                  <time dateTime={v.publishedAt}>{new Date(v.publishedAt).toLocaleString()}</time>
                </td>
                <td>{v.publishedBy}</td>
                <td>{v.summary}</td>
                <td class="row-actions">
                  {v.version !== live && (
                    <Allowed role="publisher">
                      <ConfirmButton
                        label={`Roll back to version ${v.version}`}
                        question={`Publish version ${v.version} again, replacing the live version and the draft?`}
                        confirmLabel="Roll back"
                        disabled={busy}
                        onConfirm={() => rollback(v.version)}
                      >
                        Roll back
                      </ConfirmButton>
                    </Allowed>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ActivityList />
    </section>
  );
}
