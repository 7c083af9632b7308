import { useEffect, useState } from 'preact/hooks';
import type { PreviewLink } from '../../../../shared/schemas';
import { ApiError, api } from '../../api';
import { loadSampleAccounts, notify, report, session, useAppState } from '../../state';
import { byPriority } from '../../segments';
import { Allowed } from '../common/Allowed';
import { ConfirmButton } from '../common/ConfirmButton';
import { Field } from '../common/Field';
import { ViewHeading } from '../common/ViewHeading';

const TTLS = [
  { seconds: 3600, label: '1 hour' },
  { seconds: 8 * 3600, label: '8 hours' },
  { seconds: 86_400, label: '24 hours' },
];

/** A signed link that shows the DRAFT as a segment or an account, opened in a new tab. */
export function PreviewView() {
  const { site, sampleAccounts, busy } = useAppState();
  const segments = byPriority(site!.draft.config.segments);
  const [as, setAs] = useState<'segment' | 'account'>('segment');
  const [segment, setSegment] = useState(segments[0]?.id ?? '');
  const [account, setAccount] = useState('');
  const [pageUrl, setPageUrl] = useState('');
  const [ttl, setTtl] = useState(3600);
  const [link, setLink] = useState<PreviewLink | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void loadSampleAccounts(), []);

  const revokeAll = async () => {
    try {
      await api.revokePreviews(session());
      setLink(null);
      notify('ok', 'Every preview link made so far has stopped working. New links work.');
    } catch (err) {
      report(err);
    }
  };

  const create = async () => {
    setError(null);
    setLink(null);
    try {
      const result = await api.preview(session(), {
        ...(as === 'segment' ? { segment } : { account: account.trim().toLowerCase() }),
        ...(pageUrl.trim() && { pageUrl: pageUrl.trim() }),
        ttlSeconds: ttl,
      });
      setLink(result);
      window.open(result.url, '_blank', 'noopener');
    } catch (err) {
      if (err instanceof ApiError && err.issues.length) setError(err.issues.map((i) => i.message).join('; '));
      else report(err);
    }
  };

  return (
    <section>
      <ViewHeading intro="Preview links show the unpublished draft. Anyone with the link can view it until it expires or you revoke it.">Preview</ViewHeading>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <fieldset class="group">
          <legend>Preview as</legend>
          <label class="radio">
            <input type="radio" name="preview-as" checked={as === 'segment'} onChange={() => setAs('segment')} /> A segment
          </label>
          <label class="radio">
            <input type="radio" name="preview-as" checked={as === 'account'} onChange={() => setAs('account')} /> An account
          </label>
        </fieldset>
        {as === 'segment' ? (
          <Field label="Segment" error={error ?? undefined}>
            {(p) => (
              <select {...p} value={segment} onChange={(e) => setSegment(e.currentTarget.value)}>
                {segments.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <Field label="Account domain" error={error ?? undefined} hint="An imported account, e.g. acme.com">
            {(p) => <input {...p} list="preview-accounts" value={account} spellcheck={false} onInput={(e) => setAccount(e.currentTarget.value)} />}
          </Field>
        )}
        <datalist id="preview-accounts">
          {(sampleAccounts ?? []).map((a) => (
            <option key={a.domain} value={a.domain}>
              {a.name}
            </option>
          ))}
        </datalist>
        <div class="grid-2">
          <Field label="Page to open (optional)" hint="Defaults to the demo page. The page must carry the tag.">
            {(p) => <input {...p} type="url" placeholder="https://www.example.com/pricing" value={pageUrl} onInput={(e) => setPageUrl(e.currentTarget.value)} />}
          </Field>
          <Field label="Link valid for">
            {(p) => (
              <select {...p} value={String(ttl)} onChange={(e) => setTtl(Number(e.currentTarget.value))}>
                {TTLS.map((t) => (
                  <option key={t.seconds} value={String(t.seconds)}>
                    {t.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        {error && (
          <p class="visually-hidden" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || (as === 'segment' ? !segment : !account.trim())}>
          Open preview
        </button>
      </form>
      <div role="status" aria-live="polite">
        {link && (
          <div class="card preview-link">
            <h2>Preview link</h2>
            <p>
              <a href={link.url} target="_blank" rel="noopener" data-testid="preview-link">
                {link.url}
              </a>
            </p>
            <p class="muted">Expires {new Date(link.expiresAt).toLocaleString()}.</p>
          </div>
        )}
      </div>
      <Allowed role="owner">
        <div class="card">
          <h2>Shared a link too widely?</h2>
          <p class="muted">Revoking stops every preview link made so far, however long it had left. Links you make afterwards work.</p>
          <ConfirmButton question="Stop every preview link made so far?" confirmLabel="Revoke all" onConfirm={revokeAll} disabled={busy}>
            Revoke all preview links
          </ConfirmButton>
        </div>
      </Allowed>
    </section>
  );
}
