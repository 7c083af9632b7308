import { useState } from 'preact/hooks';
import { EditorLink, ErrorBody } from '../../../../shared/schemas';
import { session, useAppState } from '../../state';
import { Field } from '../common/Field';

/** The page address to start from: the site's first allowed origin (a `:*` port pattern without its port). */
const defaultPage = (origins: string[]) => (origins[0] ? `${origins[0].replace(/:\*$/, '')}/` : '');

async function requestEditorLink(pageUrl: string): Promise<EditorLink> {
  const s = session();
  const res = await fetch(`/api/admin/sites/${encodeURIComponent(s.site)}/editor-link`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(s.token && { authorization: `Bearer ${s.token}` }) },
    body: JSON.stringify({ pageUrl }),
    cache: 'no-store',
  });
  const json: unknown = await res.json().catch(() => null);
  if (res.ok) return EditorLink.parse(json);
  const err = ErrorBody.safeParse(json);
  throw new Error(err.success ? (err.data.issues?.map((i) => i.message).join('; ') ?? err.data.error) : `The edge answered ${res.status}.`);
}

/** "Open my page in the editor": the page with a 30-minute edit token, in a new tab, where slots are picked by clicking. */
export function EditorLinkCard() {
  const { site } = useAppState();
  const [pageUrl, setPageUrl] = useState(() => defaultPage(site!.draft.config.allowedOrigins));
  const [error, setError] = useState<string | undefined>();
  const [link, setLink] = useState<EditorLink | null>(null);

  const open = async () => {
    setError(undefined);
    // opened before the request, so the browser treats it as the click's own tab, not a pop-up
    const tab = window.open('', '_blank');
    try {
      const made = await requestEditorLink(pageUrl.trim());
      setLink(made);
      if (tab) {
        tab.opener = null;
        tab.location.href = made.url;
      }
    } catch (err) {
      tab?.close();
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <form
      class="card"
      aria-label="Visual editor"
      onSubmit={(e) => {
        e.preventDefault();
        void open();
      }}
    >
      <Field label="Your page" error={error} hint="A page with the tag, on one of the site's allowed origins. Click elements there to make them slots and write variants; publish here.">
        {(p) => <input {...p} type="url" value={pageUrl} onInput={(e) => setPageUrl(e.currentTarget.value)} />}
      </Field>
      <button type="submit">Open my page in the editor</button>
      {link && (
        <p class="hint">
          Opened in a new tab (the link works until {new Date(link.expiresAt).toLocaleTimeString()}): <a href={link.url} target="_blank" rel="noopener">open it again</a>
        </p>
      )}
    </form>
  );
}
