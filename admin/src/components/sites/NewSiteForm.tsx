import { useId, useState } from 'preact/hooks';
import type { Issue } from '../../api';
import { scope } from '../../issues';
import { lines, originError } from '../../origins';
import { createSite, useAppState } from '../../state';
import { ErrorSummary } from '../common/ErrorSummary';
import { Field } from '../common/Field';

/** A new site: id, name, allowed origins and a start (empty or the demo's), with the API's issues next to the fields. */
export function NewSiteForm({ initialId = '' }: { initialId?: string }) {
  const { busy } = useAppState();
  const [id, setId] = useState(initialId);
  const [name, setName] = useState('');
  const [origins, setOrigins] = useState('');
  const [demo, setDemo] = useState(false);
  const [issues, setIssues] = useState<Issue[]>([]);
  const titleId = useId();
  const s = scope(issues, '');
  const originsError = originError(issues);
  const fieldErrors = [s.at('id'), s.at('name'), originsError].filter(Boolean).length;
  return (
    <form
      aria-labelledby={titleId}
      onSubmit={async (e) => {
        e.preventDefault();
        const body = { id: id.trim(), name: name.trim(), allowedOrigins: lines(origins), template: demo ? ('demo' as const) : ('empty' as const) };
        setIssues(await createSite(body));
      }}
    >
      <h2 id={titleId}>New site</h2>
      <ErrorSummary fieldErrors={fieldErrors} rest={s.rest(['id', 'name', 'allowedOrigins'])} />
      <Field label="Site id" error={s.at('id')} hint={<>In the tag as <code>data-site</code>: lower-case letters, digits, - or _. It cannot be changed later.</>}>
        {(p) => <input {...p} value={id} spellcheck={false} onInput={(e) => setId(e.currentTarget.value)} />}
      </Field>
      <Field label="Site name" error={s.at('name')}>
        {(p) => <input {...p} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <Field label="Allowed origins" error={originsError} hint={<>Where your pages are served, one per line, e.g. <code>https://www.example.com</code>.</>}>
        {(p) => <textarea {...p} class="code" rows={3} value={origins} spellcheck={false} onInput={(e) => setOrigins(e.currentTarget.value)} />}
      </Field>
      <fieldset>
        <legend>Start</legend>
        <label class="radio">
          <input type="radio" name={`${titleId}-start`} checked={!demo} onChange={() => setDemo(false)} /> Empty
        </label>
        <label class="radio">
          <input type="radio" name={`${titleId}-start`} checked={demo} onChange={() => setDemo(true)} /> From the demo: its segments, slots and variants to edit
        </label>
      </fieldset>
      <button type="submit" disabled={busy}>
        Create site
      </button>
    </form>
  );
}
