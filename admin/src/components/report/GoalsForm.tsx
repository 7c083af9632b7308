import { useState } from 'preact/hooks';
import type { Issue } from '../../api';
import { emptyGoal, fromDraft, type GoalDraft, toDraft } from '../../goals';
import { scope } from '../../issues';
import { saveEdit, useAppState, useCan } from '../../state';
import { ErrorSummary } from '../common/ErrorSummary';
import { Field } from '../common/Field';
import { GoalKind } from './GoalKind';

const FIELDS = ['id', 'name', 'urlPatterns'];

/** The site's own conversion goals (URL and element goals), saved to the draft; cta and submit are built in. */
export function GoalsForm() {
  const { site, busy } = useAppState();
  const editable = useCan('editor');
  const [goals, setGoals] = useState<GoalDraft[]>(() => (site!.draft.config.goals ?? []).map(toDraft));
  const [issues, setIssues] = useState<Issue[]>([]);
  const s = scope(issues, '');
  const set = (i: number, patch: Partial<GoalDraft>) => setGoals(goals.map((g, j) => (j === i ? { ...g, ...patch } : g)));
  const fieldErrors = goals.flatMap((_, i) => FIELDS.map((f) => `goals.${i}.${f}`)).filter((p) => s.at(p)).length;

  return (
    <form
      class="card"
      aria-labelledby="goals-title"
      onSubmit={async (e) => {
        e.preventDefault();
        const next = goals.map(fromDraft);
        const result = await saveEdit(({ goals: _g, ...c }) => ({ ...c, ...(next.length && { goals: next }) }), 'Goals saved to the draft.');
        setIssues(result.ok ? [] : result.issues);
      }}
    >
      <h2 id="goals-title">Goals</h2>
      <p class="muted">
        What counts as a conversion. Built in and always measured: <code>cta</code> CTA click (a link in a personalized slot) and <code>submit</code> Form
        submit. Add your own below; they are measured once the draft is published.
      </p>
      <ErrorSummary fieldErrors={fieldErrors} rest={s.rest(goals.map((_, i) => `goals.${i}`))} />
      <fieldset class="bare" disabled={!editable}>
        {goals.map((g, i) => (
          <fieldset key={g.key} class="group">
            <legend>Goal {i + 1}</legend>
            <div class="grid-2">
              <Field label="Id" error={s.at(`goals.${i}.id`)} hint="Lower-case letters, digits, - and _; not cta or submit.">
                {(p) => <input {...p} value={g.id} spellcheck={false} onInput={(e) => set(i, { id: e.currentTarget.value })} />}
              </Field>
              <Field label="Name" error={s.at(`goals.${i}.name`)}>
                {(p) => <input {...p} value={g.name} onInput={(e) => set(i, { name: e.currentTarget.value })} />}
              </Field>
            </div>
            <GoalKind goal={g} error={s.at(`goals.${i}.urlPatterns`)} onChange={(patch) => set(i, patch)} />
            {editable && (
              <button type="button" class="secondary" onClick={() => setGoals(goals.filter((_, j) => j !== i))}>
                Remove goal {g.id || i + 1}
              </button>
            )}
          </fieldset>
        ))}
      </fieldset>
      {editable && (
        <div class="form-actions">
          <button type="button" class="secondary" disabled={goals.length >= 20} onClick={() => setGoals([...goals, emptyGoal()])}>
            Add goal
          </button>
          <button type="submit" disabled={busy}>
            Save goals
          </button>
        </div>
      )}
    </form>
  );
}
