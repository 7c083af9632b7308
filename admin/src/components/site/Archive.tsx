import { setArchived, useAppState } from '../../state';
import { Allowed } from '../common/Allowed';
import { ConfirmButton } from '../common/ConfirmButton';

/** While the site is archived: says so, and lets an owner restore it. */
export function ArchivedBanner() {
  const { site, busy } = useAppState();
  if (!site?.archivedAt) return null;
  return (
    <div class="banner" role="status" id="archived-banner" tabIndex={-1}>
      <div>
        <strong>Archived: not served</strong>
        <p>
          Since {new Date(site.archivedAt).toLocaleString()} the edge answers no decisions for this site: pages with the tag show as written. Publishes
          are still recorded, and served on restore.
        </p>
      </div>
      <Allowed role="owner">
        <button type="button" disabled={busy} onClick={() => void setArchived(false)}>
          Restore
        </button>
      </Allowed>
    </div>
  );
}

/** Owners: stop serving the site without deleting anything. */
export function ArchiveCard() {
  const { site, busy } = useAppState();
  if (site?.archivedAt) return null;
  // the banner replaces this card at the top of the view: take the user (and focus) there
  const archive = async () => {
    await setArchived(true);
    document.getElementById('archived-banner')?.focus();
  };
  return (
    <Allowed role="owner">
      <section class="card" aria-labelledby="archive-title">
        <h2 id="archive-title">Archive</h2>
        <p class="muted">The edge stops personalizing: pages with the tag stay as written. Nothing is deleted, and Restore serves the live version again.</p>
        <ConfirmButton question="Archive this site? Pages stay as written; nothing is deleted." confirmLabel="Archive" disabled={busy} onConfirm={archive}>
          Archive this site
        </ConfirmButton>
      </section>
    </Allowed>
  );
}
