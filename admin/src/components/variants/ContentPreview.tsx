import { useEffect, useMemo, useState } from 'preact/hooks';
import { renderContent } from '../../../../shared/decision/variants';
import type { Content } from '../../../../shared/schemas';
import { loadSampleAccounts, useAppState } from '../../state';
import { Field } from '../common/Field';

/**
 * What the edge would send for this content and a sample account: the same renderContent (tokens,
 * fallbacks, HTML sanitizer) the Worker runs.
 */
export function ContentPreview({ content }: { content: Content }) {
  const { sampleAccounts } = useAppState();
  const [domain, setDomain] = useState('');
  useEffect(() => void loadSampleAccounts(), []);
  const account = sampleAccounts?.find((a) => a.domain === domain) ?? (domain === '' ? sampleAccounts?.[0] : undefined) ?? null;
  const rendered = useMemo(() => renderContent(content, { account, visit: { path: '/' } }), [content, account]);

  return (
    <section class="preview" aria-labelledby="preview-title">
      <h3 id="preview-title">Preview</h3>
      <Field label="Sample account" hint="Tokens are filled from this account, exactly as the edge fills them.">
        {(p) => (
          <select {...p} value={account?.domain ?? '(none)'} onChange={(e) => setDomain(e.currentTarget.value)}>
            {(sampleAccounts ?? []).map((a) => (
              <option key={a.domain} value={a.domain}>
                {a.name} ({a.domain})
              </option>
            ))}
            <option value="(none)">No account (fallbacks)</option>
          </select>
        )}
      </Field>
      <div class="preview-box" data-testid="variant-preview">
        <Rendered content={rendered} />
      </div>
    </section>
  );
}

function Rendered({ content: c }: { content: Content }) {
  switch (c.type) {
    case 'text':
      return <p class="pv-text">{c.text}</p>;
    case 'link':
      return (
        <p>
          <span class="pv-button">{c.text}</span> <span class="muted">→ {c.href}</span>
        </p>
      );
    case 'image':
      return (
        <figure>
          {c.src && <img src={c.src} alt={c.alt} class="pv-image" />}
          <figcaption class="muted">alt: {c.alt || '(none)'}</figcaption>
        </figure>
      );
    case 'proof':
      return (
        <div class="pv-proof">
          {c.items.map((p, i) => (
            <figure key={i}>
              {p.logo && <img src={p.logo} alt="" />}
              {p.quote && <blockquote>{p.quote}</blockquote>}
              {p.author && <figcaption>{p.author}</figcaption>}
              {(p.stat || p.label) && (
                <p>
                  <strong>{p.stat}</strong> {p.label}
                </p>
              )}
            </figure>
          ))}
        </div>
      );
    case 'html':
      // Already through the edge's allowlist sanitizer; the admin's CSP blocks scripts besides.
      return <div class="pv-html" dangerouslySetInnerHTML={{ __html: c.html }} />;
  }
}
