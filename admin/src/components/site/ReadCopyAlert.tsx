import { useEffect, useState } from 'preact/hooks';
import type { ReadCopyStatus } from '../../../../shared/schemas';
import { api } from '../../api';
import { count } from '../../report-format';
import { notify, report, session } from '../../state';
import { Allowed } from '../common/Allowed';

/** More queued writes than one flush takes (900, edge/site-store/outbox.ts): the edge is over a second behind. */
const LARGE_BACKLOG = 1000;

const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

/** Says when the edge's copy of the site lags: writes that kept failing (with a retry), or a large backlog. */
export function ReadCopyAlert() {
  const [status, setStatus] = useState<ReadCopyStatus | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let stale = false;
    // advisory: a status that cannot be read shows nothing
    api.readCopy(session()).then((s) => !stale && setStatus(s), () => {});
    return () => void (stale = true);
  }, []);

  if (!status || (status.stuckTotal === 0 && status.pending < LARGE_BACKLOG)) return null;

  const retry = async () => {
    setBusy(true);
    try {
      const result = await api.retryReadCopy(session());
      setStatus(result);
      notify(result.stuckTotal ? 'error' : 'ok', result.stuckTotal ? 'Some changes failed again: see the list.' : `${plural(result.requeued, 'change')} sent to the edge again.`);
    } catch (err) {
      report(err);
    } finally {
      setBusy(false);
    }
  };

  const first = status.stuck[0];
  return (
    <div class="read-copy" role="alert">
      {first ? (
        <div>
          <strong>{plural(status.stuckTotal, 'change')} could not reach the edge.</strong>
          <p>
            Writing them to the edge's store failed {first.attempts} times in a row (the first since {new Date(first.since).toLocaleString()}: {first.lastError}), so
            visitors still get the previous content or accounts for: {status.stuck.slice(0, 3).map((s) => s.key).join(', ')}
            {status.stuckTotal > 3 ? ' and others' : ''}. Other changes are not held up.
          </p>
        </div>
      ) : (
        <div>
          <strong>The edge is catching up.</strong>
          <p>{plural(status.pending, 'change')} (such as a large import) are still on their way to the edge; visitors get them within a minute or two.</p>
        </div>
      )}
      {first && (
        <Allowed role="publisher">
          <button type="button" disabled={busy} onClick={() => void retry()}>
            Retry
          </button>
        </Allowed>
      )}
    </div>
  );
}
