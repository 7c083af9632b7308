import { useState } from 'preact/hooks';
import type { Content, ContentType, SiteConfig, Slot } from '../../../../shared/schemas';
import type { Issue } from '../../api';
import { CONTENT_TYPES, emptyContent, isBlank, tidy } from '../../content';
import { scope } from '../../issues';
import { slugify } from '../../rules';
import { getState, saveEdit, useAppState } from '../../state';
import { upsertById, upsertIndex } from '../../upsert';
import { ContentEditor } from '../content/ContentEditor';
import { ErrorSummary } from '../common/ErrorSummary';
import { Field } from '../common/Field';
import { useFocusOnMount } from '../../focus';

const CLAIMED = ['id', 'label', 'selector', 'type', 'default'];

/** Id, label, where the slot is (data-pz-slot key or CSS selector), content type and default content. */
export function SlotForm({ slot, onClose }: { slot: Slot | undefined; onClose: () => void }) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const { busy } = useAppState();
  const isNew = !slot;
  const [id, setId] = useState(slot?.id ?? '');
  const [label, setLabel] = useState(slot?.label ?? '');
  const [useSelector, setUseSelector] = useState(slot?.selector !== undefined);
  const [selector, setSelector] = useState(slot?.selector ?? '');
  const [type, setType] = useState<ContentType>(slot?.type ?? 'text');
  const [content, setContent] = useState<Content>(slot?.default ?? emptyContent(slot?.type ?? 'text'));
  const [issues, setIssues] = useState<Issue[]>([]);
  const [prefix, setPrefix] = useState('');
  const s = scope(issues, prefix);

  const submit = async () => {
    const config = getState().site!.draft.config;
    if (isNew && config.slots.some((x) => x.id === id.trim())) {
      setPrefix('');
      setIssues([{ path: 'id', message: `There is already a slot "${id.trim()}".` }]);
      return;
    }
    const next: Slot = {
      id: id.trim(),
      type,
      ...(label.trim() && { label: label.trim() }),
      ...(useSelector && { selector: selector.trim() }),
      ...(!isBlank(content) && { default: tidy(content) }),
    };
    const original = slot?.id;
    const edit = (c: SiteConfig): SiteConfig => ({ ...c, slots: upsertById(c.slots, original, next) });
    setPrefix(`slots.${upsertIndex(config.slots, original)}`);
    const result = await saveEdit(edit, `Slot ${next.id} saved to the draft.`);
    if (result.ok) onClose();
    else setIssues(result.issues);
  };

  const fieldErrors = CLAIMED.filter((p) => s.at(p)).length;
  return (
    <form
      class="card form"
      aria-labelledby="slot-form-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <h2 id="slot-form-title" tabIndex={-1} ref={heading}>{isNew ? 'New slot' : `Edit slot ${slot.label ?? slot.id}`}</h2>
      <ErrorSummary fieldErrors={fieldErrors} rest={s.rest(CLAIMED)} />
      <div class="grid-2">
        <Field label="Label" error={s.at('label')}>
          {(p) => (
            <input
              {...p}
              value={label}
              onInput={(e) => {
                setLabel(e.currentTarget.value);
                if (isNew) setId(slugify(e.currentTarget.value));
              }}
            />
          )}
        </Field>
        <Field label="Id (the data-pz-slot key)" error={s.at('id')} hint={isNew ? undefined : 'Ids cannot change.'}>
          {(p) => <input {...p} value={id} readOnly={!isNew} spellcheck={false} onInput={(e) => setId(e.currentTarget.value)} />}
        </Field>
      </div>
      <fieldset class="group">
        <legend>Where the slot is on the page</legend>
        <label class="radio">
          <input type="radio" name="slot-target" checked={!useSelector} onChange={() => setUseSelector(false)} /> The element marked{' '}
          <code>data-pz-slot="{id || 'id'}"</code>
        </label>
        <label class="radio">
          <input type="radio" name="slot-target" checked={useSelector} onChange={() => setUseSelector(true)} /> A CSS selector
        </label>
        {useSelector && (
          <Field label="CSS selector" error={s.at('selector')} hint="e.g. #hero h1">
            {(p) => <input {...p} value={selector} spellcheck={false} onInput={(e) => setSelector(e.currentTarget.value)} />}
          </Field>
        )}
      </fieldset>
      <Field label="Content type" error={s.at('type')} hint={isNew ? undefined : 'Changing the type means rewriting this slot’s variants.'}>
        {(p) => (
          <select
            {...p}
            value={type}
            onChange={(e) => {
              const t = e.currentTarget.value as ContentType;
              setType(t);
              setContent(emptyContent(t));
            }}
          >
            {CONTENT_TYPES.map((t) => (
              <option key={t.type} value={t.type}>
                {t.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset class="group">
        <legend>Default content (optional: what the page shows as written, for previews)</legend>
        <ContentEditor content={content} onChange={setContent} issues={scope(issues, `${prefix}.default`)} labelPrefix="Default" />
      </fieldset>
      <div class="form-actions">
        <button type="submit" disabled={busy}>
          Save slot
        </button>
        <button type="button" class="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
