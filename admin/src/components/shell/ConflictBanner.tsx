import { reloadAfterConflict, useAppState } from '../../state';

/**
 * Shown when a save or publish lost to someone else's save. Nothing is reloaded until the user
 * chooses: the edit stays in its form, to be saved again on top of the other admin's draft.
 */
export function ConflictBanner() {
  const { conflict, busy } = useAppState();
  if (!conflict) return null;
  const { current } = conflict;
  return (
    <div class="conflict" role="alert">
      <div>
        <strong>Someone else changed this site since you loaded it.</strong>
        <p>
          {current.updatedBy} saved revision {current.revision} at {new Date(current.updatedAt).toLocaleString()}. Your change has not been saved;
          it is still in the form. Reload to get their changes, then save your change again.
        </p>
      </div>
      <button type="button" disabled={busy} onClick={() => void reloadAfterConflict()}>
        Reload
      </button>
    </div>
  );
}
