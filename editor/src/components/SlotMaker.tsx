import { CONTENT_TYPES } from '../../../admin/src/content';
import type { ContentType } from '../../../shared/schemas';

export interface Candidate {
  el: Element;
  selector: string;
  type: ContentType;
  id: string;
  label: string;
}

/** "Make this a slot": the generated selector (editable, refused with the reason unless it matches exactly one element), type, id and label. */
export function SlotMaker({ candidate, error, onChange, onMake, onCancel }: {
  candidate: Candidate;
  error: string | null;
  onChange: (c: Candidate) => void;
  onMake: () => void;
  onCancel: () => void;
}) {
  return (
    <form
      class="card"
      aria-label="Make this a slot"
      onSubmit={(e) => {
        e.preventDefault();
        onMake();
      }}
    >
      <h2>Make this a slot</h2>
      <p class="muted">
        &lt;{candidate.el.localName}&gt; “{candidate.label}”
      </p>
      <label>
        CSS selector
        <input value={candidate.selector} spellcheck={false} aria-invalid={error ? 'true' : undefined} onInput={(e) => onChange({ ...candidate, selector: e.currentTarget.value })} />
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <label>
        Content type
        <select value={candidate.type} onChange={(e) => onChange({ ...candidate, type: e.currentTarget.value as ContentType })}>
          {CONTENT_TYPES.filter((t) => t.type !== 'proof').map((t) => (
            <option key={t.type} value={t.type}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Slot id
        <input value={candidate.id} spellcheck={false} onInput={(e) => onChange({ ...candidate, id: e.currentTarget.value })} />
      </label>
      <label>
        Label
        <input value={candidate.label} onInput={(e) => onChange({ ...candidate, label: e.currentTarget.value })} />
      </label>
      <div class="actions">
        <button type="submit">Make this a slot</button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
