import type { Content } from '../../../../shared/schemas';
import type { Scoped } from '../../issues';
import { Field } from '../common/Field';
import { ProofItemsEditor } from './ProofItemsEditor';
import { TokenHelp } from './TokenHelp';

interface Props {
  content: Content;
  onChange: (content: Content) => void;
  /** Issues scoped to the content: `text`, `href`, `items.0.logo`… */
  issues: Scoped;
  /** Prefix for labels, e.g. "Default". */
  labelPrefix?: string;
}

/** The inputs of one piece of content, per its type. */
export function ContentEditor({ content: c, onChange, issues, labelPrefix = '' }: Props) {
  const L = (s: string) => (labelPrefix ? `${labelPrefix} ${s.toLowerCase()}` : s);
  switch (c.type) {
    case 'text':
      return (
        <Field label={L('Text')} error={issues.at('text')} hint={<TokenHelp />}>
          {(p) => <textarea {...p} rows={3} value={c.text} onInput={(e) => onChange({ ...c, text: e.currentTarget.value })} />}
        </Field>
      );
    case 'link':
      return (
        <>
          <Field label={L('Link text')} error={issues.at('text')} hint={<TokenHelp />}>
            {(p) => <input {...p} value={c.text} onInput={(e) => onChange({ ...c, text: e.currentTarget.value })} />}
          </Field>
          <Field label={L('Link address')} error={issues.at('href')} hint="An https:// address or a path such as /contact.">
            {(p) => <input {...p} value={c.href} spellcheck={false} onInput={(e) => onChange({ ...c, href: e.currentTarget.value })} />}
          </Field>
        </>
      );
    case 'image':
      return (
        <>
          <Field label={L('Image address')} error={issues.at('src')} hint="An https:// address or a path such as /img/hero.png.">
            {(p) => <input {...p} value={c.src} spellcheck={false} onInput={(e) => onChange({ ...c, src: e.currentTarget.value })} />}
          </Field>
          <Field label={L('Alt text')} error={issues.at('alt')} hint={<TokenHelp />}>
            {(p) => <input {...p} value={c.alt} onInput={(e) => onChange({ ...c, alt: e.currentTarget.value })} />}
          </Field>
        </>
      );
    case 'proof':
      return <ProofItemsEditor items={c.items} onChange={(items) => onChange({ ...c, items })} issues={issues} />;
    case 'html':
      return (
        <Field
          label={L('HTML')}
          error={issues.at('html')}
          hint={
            <>
              Only safe tags reach the page (no scripts, event handlers or <code>javascript:</code> links). <TokenHelp />
            </>
          }
        >
          {(p) => <textarea {...p} class="code" rows={6} spellcheck={false} value={c.html} onInput={(e) => onChange({ ...c, html: e.currentTarget.value })} />}
        </Field>
      );
  }
}
