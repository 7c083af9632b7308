import { useState } from 'preact/hooks';
import { IntentStage } from '../../../../shared/schemas';
import type { Scoped } from '../../issues';
import { ACCOUNT_FIELDS, ACTIVITY, ACTIVITY_OPS, type ConditionDraft, FIELD_OPS, INTENT, INTENT_OPS, isActivityOp, isIntentOp, KNOWN_FIELDS, type Op, VISIT_FIELDS } from '../../rules';
import { getState } from '../../state';
import { Field } from '../common/Field';

interface Props {
  number: number;
  group: 'all' | 'any';
  condition: ConditionDraft;
  /** Where this condition's issues are, e.g. `rule.all.0`. */
  path: string;
  issues: Scoped;
  onChange: (c: ConditionDraft) => void;
  onRemove: () => void;
}

const OTHER = '(other)';

/** One condition: a field (known or typed), the account's activity or its intent scores, an operator, and the inputs that operator needs. */
export function ConditionEditor({ number, group, condition: c, path, issues, onChange, onRemove }: Props) {
  const [custom, setCustom] = useState(!KNOWN_FIELDS.has(c.field));
  const set = (patch: Partial<ConditionDraft>) => onChange({ ...c, ...patch });
  const err = (f: string) => issues.at(`${path}.${f}`);
  const rowError = issues.exact(path);
  const activity = c.field === ACTIVITY;
  const intent = c.field === INTENT;
  const listId = `stages-${group}-${number}`;
  const suggest = c.field === 'account.stage' ? listId : undefined;
  const pageGroups = getState().site?.draft.config.pageGroups ?? [];

  const pickField = (v: string) => {
    setCustom(v === OTHER);
    const field = v === OTHER ? 'account.attributes.' : v;
    const kept = (ok: (op: Op) => boolean, fallback: Op): Op => (ok(c.op) ? c.op : fallback);
    const op: Op = v === ACTIVITY ? kept(isActivityOp, 'views') : v === INTENT ? kept(isIntentOp, 'intent') : kept((o) => !isActivityOp(o) && !isIntentOp(o), 'equals');
    set({ field, op, ...(v === ACTIVITY && !c.days && { days: '30' }) });
  };

  return (
    <fieldset class={`condition${rowError ? ' has-error' : ''}`}>
      <legend class="visually-hidden">
        Condition {number} of “{group}”
      </legend>
      <div class="condition-what">
        <Field label="Field" error={custom ? undefined : err('field')}>
          {(p) => (
            <select {...p} value={custom ? OTHER : c.field} onChange={(e) => pickField(e.currentTarget.value)}>
              <optgroup label="Account">
                {ACCOUNT_FIELDS.map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </optgroup>
              <optgroup label="Visit">
                {VISIT_FIELDS.map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </optgroup>
              <optgroup label="Behaviour">
                <option value={ACTIVITY}>activity (page views)</option>
              </optgroup>
              <optgroup label="Intent">
                <option value={INTENT}>intent (topic scores)</option>
              </optgroup>
              <option value={OTHER}>Other field…</option>
            </select>
          )}
        </Field>
        {custom && (
          <Field label="Field path" error={err('field')} hint="e.g. account.attributes.plan">
            {(p) => <input {...p} value={c.field} spellcheck={false} onInput={(e) => set({ field: e.currentTarget.value })} />}
          </Field>
        )}
      </div>
      <Field label="Operator" error={err('op')}>
        {(p) => (
          <select {...p} value={c.op} onChange={(e) => set({ op: e.currentTarget.value as Op })}>
            {(activity ? ACTIVITY_OPS : intent ? INTENT_OPS : FIELD_OPS).map((o) => (
              <option key={o.op} value={o.op}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div class="condition-values">
        {(c.op === 'equals' || c.op === 'not_equals' || c.op === 'contains') && (
          <Field label="Value" error={err('value')}>
            {(p) => <input {...p} list={suggest} value={c.value} onInput={(e) => set({ value: e.currentTarget.value })} />}
          </Field>
        )}
        {c.op === 'intent' && (
          <Field label="Topic" error={err('topic')}>
            {(p) => <input {...p} value={c.value} onInput={(e) => set({ value: e.currentTarget.value })} />}
          </Field>
        )}
        {(c.op === 'in' || c.op === 'surging') && (
          <Field label={intent ? 'Topics (one per line)' : 'Values (one per line)'} error={err(intent ? 'topics' : 'values')}>
            {(p) => <textarea {...p} rows={3} value={c.values} onInput={(e) => set({ values: e.currentTarget.value })} />}
          </Field>
        )}
        {c.op === 'surging' && (
          <Field label="On at least (topics)" error={err('count')}>
            {(p) => <input {...p} type="number" min={1} value={c.count} onInput={(e) => set({ count: e.currentTarget.value })} />}
          </Field>
        )}
        {(c.op === 'range' || c.op === 'views' || c.op === 'visitors' || c.op === 'sessions' || c.op === 'engagement' || intent) && (
          <Field label={c.op === 'range' ? 'Minimum' : intent ? 'Score at least' : 'At least'} error={err('min')}>
            {(p) => <input {...p} type="number" min={activity ? 1 : undefined} value={c.min} onInput={(e) => set({ min: e.currentTarget.value })} />}
          </Field>
        )}
        {c.op === 'range' && (
          <Field label="Maximum" error={err('max')}>
            {(p) => <input {...p} type="number" value={c.max} onInput={(e) => set({ max: e.currentTarget.value })} />}
          </Field>
        )}
        {c.op === 'matches' && (
          <Field label="Pattern" error={err('pattern')} hint="* matches anything, e.g. /pricing*">
            {(p) => <input {...p} value={c.pattern} spellcheck={false} onInput={(e) => set({ pattern: e.currentTarget.value })} />}
          </Field>
        )}
        {(c.op === 'views' || c.op === 'engagement') && (
          <Field label="Pages" error={err('group')}>
            {(p) => (
              <select {...p} value={c.group} onChange={(e) => set({ group: e.currentTarget.value })}>
                <option value="">any page</option>
                {pageGroups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name ?? g.id}
                  </option>
                ))}
                {c.group && !pageGroups.some((g) => g.id === c.group) && <option value={c.group}>{c.group} (unknown)</option>}
              </select>
            )}
          </Field>
        )}
        {c.op === 'engagement' && (
          <Field label="Half-life (days)" error={err('halfLifeDays')}>
            {(p) => <input {...p} type="number" min={0} step="any" value={c.halfLifeDays} onInput={(e) => set({ halfLifeDays: e.currentTarget.value })} />}
          </Field>
        )}
        {intent && (
          <Field label="In the last (weeks)" error={err('weeks')}>
            {(p) => <input {...p} type="number" min={1} max={52} value={c.weeks} onInput={(e) => set({ weeks: e.currentTarget.value })} />}
          </Field>
        )}
        {activity && (
          <Field label={c.op === 'engagement' ? 'In the last (days, optional)' : c.op === 'first_seen' || c.op === 'last_seen' ? 'Days' : 'In the last (days)'} error={err('days')}>
            {(p) => <input {...p} type="number" min={1} max={365} value={c.days} onInput={(e) => set({ days: e.currentTarget.value })} />}
          </Field>
        )}
      </div>
      <button type="button" class="secondary remove" aria-label={`Remove condition ${number} of “${group}”`} onClick={onRemove}>
        Remove
      </button>
      {rowError && <p class="error row-error">{rowError}</p>}
      {suggest && (
        <datalist id={listId}>
          {IntentStage.options.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
    </fieldset>
  );
}
