import { useState } from 'preact/hooks';
import type { SiteConfig } from '../../../../shared/schemas';
import { byPriority } from '../../segments';
import { saveQuick, useAppState } from '../../state';
import { Allowed } from '../common/Allowed';
import { ConfirmButton } from '../common/ConfirmButton';
import { RuleSummary } from './RuleSummary';
import { SegmentForm } from './SegmentForm';
import { ViewHeading } from '../common/ViewHeading';

/** Moves a segment one place and rewrites every priority as 10, 20, 30… in the new order. */
function move(id: string, delta: -1 | 1) {
  return (c: SiteConfig): SiteConfig => {
    const order = byPriority(c.segments).map((s) => s.id);
    const i = order.indexOf(id);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= order.length) return c;
    [order[i], order[j]] = [order[j]!, order[i]!];
    const priority = new Map(order.map((sid, k) => [sid, (k + 1) * 10]));
    return { ...c, segments: c.segments.map((s) => ({ ...s, priority: priority.get(s.id)! })) };
  };
}

function remove(id: string) {
  return (c: SiteConfig): SiteConfig => {
    const { [id]: _gone, ...variants } = c.variants;
    return { ...c, segments: c.segments.filter((s) => s.id !== id), variants };
  };
}

type Editing = { id: string | null } | null;

export function SegmentsView() {
  const { site, counts, busy } = useAppState();
  const [editing, setEditing] = useState<Editing>(null);
  const config = site!.draft.config;
  const segments = byPriority(config.segments);
  const editingSegment = editing?.id ? config.segments.find((s) => s.id === editing.id) : undefined;

  return (
    <section>
      <ViewHeading intro="A visitor's account gets the content of the first segment it matches, from the top. Lower priority numbers win.">
        Segments
      </ViewHeading>
      {editing ? (
        <SegmentForm key={editing.id ?? '(new)'} segment={editingSegment} onClose={() => setEditing(null)} />
      ) : (
        <Allowed role="editor">
          <button type="button" onClick={() => setEditing({ id: null })}>
            New segment
          </button>
        </Allowed>
      )}
      <ol class="segment-list" aria-label="Segments by priority">
        {segments.map((s, i) => (
          <li key={s.id} class="card segment">
            <div class="segment-main">
              <h2>
                {s.name} <span class="muted id">{s.id}</span>
              </h2>
              <p class="meta">
                <span class="badge">{s.kind}</span> priority {s.priority}
                {s.holdout > 0 && <> · {Math.round(s.holdout * 100)}% holdout</>}
              </p>
              <RuleSummary rule={s.rule} />
            </div>
            <p class="count" aria-label={`${counts?.counts[s.id] ?? 'unknown'} matching accounts`}>
              <strong>{counts ? (counts.counts[s.id] ?? '–') : '…'}</strong>
              <span>of {counts?.total ?? '…'} accounts</span>
            </p>
            <Allowed role="editor">
              <div class="actions">
                <button type="button" class="secondary" aria-label={`Move ${s.name} up`} disabled={i === 0} onClick={() => void saveQuick(move(s.id, -1), 'Order saved to the draft.')}>
                  ↑ Up
                </button>
                <button
                  type="button"
                  class="secondary"
                  aria-label={`Move ${s.name} down`}
                  disabled={i === segments.length - 1}
                  onClick={() => void saveQuick(move(s.id, 1), 'Order saved to the draft.')}
                >
                  ↓ Down
                </button>
                <button type="button" class="secondary" aria-label={`Edit ${s.name}`} onClick={() => setEditing({ id: s.id })}>
                  Edit
                </button>
                <ConfirmButton
                  label={`Delete ${s.name}`}
                  question={`Delete ${s.name} and its variants?`}
                  confirmLabel="Delete"
                  disabled={busy}
                  onConfirm={() => void saveQuick(remove(s.id), `Deleted ${s.name} from the draft.`)}
                >
                  Delete
                </ConfirmButton>
              </div>
            </Allowed>
          </li>
        ))}
      </ol>
      {segments.length === 0 && <p class="muted">No segments yet.</p>}
      {counts?.activity && (
        <p class="muted">
          Behavioural conditions are counted with the recorded activity of {counts.activity.accounts} active{' '}
          {counts.activity.accounts === 1 ? 'account' : 'accounts'}
          {counts.activity.truncated ? ' (the most recent; more were active)' : ''}
          {counts.activity.unavailable ? `; ${counts.activity.unavailable} could not be read` : ''}.
        </p>
      )}
    </section>
  );
}
