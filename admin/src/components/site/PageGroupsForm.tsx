import { useState } from 'preact/hooks';
import { DEFAULT_ACTIVITY_RETENTION_DAYS, type PageGroup } from '../../../../shared/schemas';
import type { Issue } from '../../api';
import { scope } from '../../issues';
import { saveEdit, useAppState, useCan } from '../../state';
import { ErrorSummary } from '../common/ErrorSummary';
import { Field } from '../common/Field';

interface GroupDraft {
  key: number;
  id: string;
  name: string;
  /** one per line */
  patterns: string;
}

let key = 0;
const toDraft = (g: PageGroup): GroupDraft => ({ key: ++key, id: g.id, name: g.name ?? '', patterns: g.patterns.join('\n') });
const fromDraft = (g: GroupDraft): PageGroup => ({
  id: g.id.trim(),
  ...(g.name.trim() && { name: g.name.trim() }),
  patterns: g.patterns.split('\n').map((p) => p.trim()).filter(Boolean),
});

/** Page groups that behavioural rules count views of, and how long views are kept. */
export function PageGroupsForm() {
  const { site, busy } = useAppState();
  const editable = useCan('editor');
  const config = site!.draft.config;
  const [groups, setGroups] = useState<GroupDraft[]>(() => (config.pageGroups ?? []).map(toDraft));
  const [retention, setRetention] = useState(config.activityRetentionDays === undefined ? '' : String(config.activityRetentionDays));
  const [issues, setIssues] = useState<Issue[]>([]);
  const s = scope(issues, '');
  const set = (i: number, patch: Partial<GroupDraft>) => setGroups(groups.map((g, j) => (j === i ? { ...g, ...patch } : g)));
  const fieldErrors = ['activityRetentionDays', ...groups.flatMap((_, i) => ['id', 'name', 'patterns'].map((f) => `pageGroups.${i}.${f}`))].filter((p) => s.at(p)).length;

  return (
    <form
      class="card"
      aria-labelledby="groups-title"
      onSubmit={async (e) => {
        e.preventDefault();
        const pageGroups = groups.map(fromDraft);
        const days = retention.trim() === '' ? undefined : Number(retention);
        const result = await saveEdit(
          ({ pageGroups: _g, activityRetentionDays: _d, ...c }) => ({
            ...c,
            ...(pageGroups.length && { pageGroups }),
            ...(days !== undefined && { activityRetentionDays: days }),
          }),
          'Page groups saved to the draft.',
        );
        setIssues(result.ok ? [] : result.issues);
      }}
    >
      <h2 id="groups-title">Page groups and activity</h2>
      <p class="muted">Behavioural rules count views of these pages (e.g. 3 pricing views in 14 days). Patterns match the path; * matches anything.</p>
      <ErrorSummary fieldErrors={fieldErrors} rest={s.rest(['activityRetentionDays', ...groups.map((_, i) => `pageGroups.${i}`)])} />
      <fieldset class="bare" disabled={!editable}>
        {groups.map((g, i) => (
          <fieldset key={g.key} class="group">
            <legend>Page group {i + 1}</legend>
            <div class="grid-2">
              <Field label="Id" error={s.at(`pageGroups.${i}.id`)}>
                {(p) => <input {...p} value={g.id} spellcheck={false} onInput={(e) => set(i, { id: e.currentTarget.value })} />}
              </Field>
              <Field label="Name (optional)" error={s.at(`pageGroups.${i}.name`)}>
                {(p) => <input {...p} value={g.name} onInput={(e) => set(i, { name: e.currentTarget.value })} />}
              </Field>
            </div>
            <Field label="Path patterns (one per line)" error={s.at(`pageGroups.${i}.patterns`)} hint="e.g. /pricing*">
              {(p) => <textarea {...p} class="code" rows={2} spellcheck={false} value={g.patterns} onInput={(e) => set(i, { patterns: e.currentTarget.value })} />}
            </Field>
            {editable && (
              <button type="button" class="secondary" onClick={() => setGroups(groups.filter((_, j) => j !== i))}>
                Remove page group {g.id || i + 1}
              </button>
            )}
          </fieldset>
        ))}
        {editable && (
          <div class="form-actions">
            <button type="button" class="secondary" onClick={() => setGroups([...groups, { key: ++key, id: '', name: '', patterns: '' }])}>
              Add page group
            </button>
          </div>
        )}
        <Field label="Keep page views for (days)" error={s.at('activityRetentionDays')} hint={`1–365; empty: ${DEFAULT_ACTIVITY_RETENTION_DAYS} days. Rules cannot look back further.`}>
          {(p) => <input {...p} type="number" min={1} max={365} value={retention} onInput={(e) => setRetention(e.currentTarget.value)} />}
        </Field>
      </fieldset>
      {editable && (
        <button type="submit" disabled={busy}>
          Save page groups
        </button>
      )}
    </form>
  );
}
