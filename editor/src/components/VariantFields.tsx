import type { Content } from '../../../shared/schemas';

/** The fields of one variant, by content type; `onChange` gets the whole new content on every keystroke. */
export function VariantFields({ content, onChange }: { content: Content; onChange: (c: Content) => void }) {
  const field = (label: string, key: string, value: string, multiline = false) => (
    <label>
      {label}
      {multiline ? (
        <textarea rows={3} value={value} onInput={(e) => onChange({ ...content, [key]: e.currentTarget.value } as Content)} />
      ) : (
        <input value={value} onInput={(e) => onChange({ ...content, [key]: e.currentTarget.value } as Content)} />
      )}
    </label>
  );
  switch (content.type) {
    case 'text':
      return field('Text', 'text', content.text, true);
    case 'link':
      return (
        <>
          {field('Link text', 'text', content.text)}
          {field('Link address', 'href', content.href)}
        </>
      );
    case 'image':
      return (
        <>
          {field('Image address', 'src', content.src)}
          {field('Alt text', 'alt', content.alt)}
        </>
      );
    case 'html':
      return field('HTML (sanitized at the edge)', 'html', content.html, true);
    case 'proof':
      return <p class="muted">Proof points are edited in the admin (Variants).</p>;
  }
}
