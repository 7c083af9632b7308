import type { GoalDraft } from '../../goals';
import { Field } from '../common/Field';

interface Props {
  goal: GoalDraft;
  error: string | undefined;
  onChange: (patch: Partial<GoalDraft>) => void;
}

/** How a goal fires: a visit to a matching URL, or a click (submit) on an element marked with its id. */
export function GoalKind({ goal: g, error, onChange }: Props) {
  const name = `goal-kind-${g.key}`;
  return (
    <>
      <fieldset class="kind">
        <legend>Fires on</legend>
        <label class="radio">
          <input type="radio" name={name} checked={g.kind === 'url'} onChange={() => onChange({ kind: 'url' })} />
          A visit to a URL
        </label>
        <label class="radio">
          <input type="radio" name={name} checked={g.kind === 'element'} onChange={() => onChange({ kind: 'element' })} />
          A click on a marked element
        </label>
      </fieldset>
      {g.kind === 'url' ? (
        <Field label="URL patterns (one per line)" error={error} hint="Matched against the page's path; * matches anything, e.g. /thank-you*">
          {(p) => <textarea {...p} class="code" rows={2} spellcheck={false} value={g.patterns} onInput={(e) => onChange({ patterns: e.currentTarget.value })} />}
        </Field>
      ) : (
        <p class="hint">
          Mark the button or link with <code>data-pz-goal="{g.id.trim() || 'id'}"</code>: a click counts. On a form, its submit counts instead of{' '}
          <code>submit</code>.
        </p>
      )}
    </>
  );
}
