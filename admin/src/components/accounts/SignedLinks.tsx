import { useState } from 'preact/hooks';
import { ApiError, api, type Issue } from '../../api';
import { download } from '../../download';
import { notify, report, session, useAppState } from '../../state';
import { Field } from '../common/Field';

/**
 * Signed ABM links: the landing page with `?pz_account=<signed token>` per account, for email and ad
 * tools. A signed link shows every segment the account qualifies for; a plain `?pz_account=<domain>`
 * (anyone can type one) only segments that accept claimed identities.
 */
export function SignedLinks() {
  const { session: s, site } = useAppState();
  const origin = site?.draft.config.allowedOrigins[0];
  const [url, setUrl] = useState(origin ? `${origin}/` : '');
  const [campaign, setCampaign] = useState('');
  const [days, setDays] = useState('90');
  const [domain, setDomain] = useState('');
  const [link, setLink] = useState<string | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const at = (path: string) => issues.find((i) => i.path === path)?.message;

  const body = () => ({ url: url.trim(), days: Number(days), ...(campaign.trim() && { campaign: campaign.trim() }) });
  const failed = (err: unknown) => (err instanceof ApiError && err.issues.length ? setIssues(err.issues) : report(err));

  const one = async () => {
    setIssues([]);
    try {
      const answer = await api.signedLinks(session(), { ...body(), domains: [domain.trim()] });
      setLink(answer.links[0]!.url);
    } catch (err) {
      failed(err);
    }
  };
  const all = async () => {
    setIssues([]);
    try {
      download(await api.signedLinksCsv(session(), body()), `${s!.site}-signed-links.csv`);
      notify('ok', 'The signed links CSV is downloading.');
    } catch (err) {
      failed(err);
    }
  };

  return (
    <form class="card form" aria-labelledby="signed-links-title" onSubmit={(e) => (e.preventDefault(), void one())}>
      <h2 id="signed-links-title">Signed links</h2>
      <p class="muted">
        Links for ABM emails and ads. A signed link proves the account (it cannot be forged or edited), so it shows every segment the account qualifies for;
        a plain <code>?pz_account=</code> link only shows segments that accept claimed identities.
      </p>
      <div class="grid-2">
        <Field label="Landing page" error={at('url')} hint="Add your own utm_ parameters here.">
          {(p) => <input {...p} type="url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />}
        </Field>
        <Field label="Campaign (optional)" error={at('campaign')} hint="Recorded in the link: lower-case letters, digits, - and _.">
          {(p) => <input {...p} value={campaign} spellcheck={false} onInput={(e) => setCampaign(e.currentTarget.value)} />}
        </Field>
        <Field label="Valid for (days)" error={at('days')}>
          {(p) => <input {...p} type="number" min={1} max={365} value={days} onInput={(e) => setDays(e.currentTarget.value)} />}
        </Field>
        <Field label="Account domain" error={at('domains.0') ?? at('domains')}>
          {(p) => <input {...p} value={domain} spellcheck={false} placeholder="acme.com" onInput={(e) => setDomain(e.currentTarget.value)} />}
        </Field>
      </div>
      {link && (
        <p>
          <label>
            Signed link <input class="mono" readOnly value={link} onFocus={(e) => e.currentTarget.select()} aria-label="Signed link" />
          </label>
        </p>
      )}
      <div class="form-actions">
        <button type="submit">Make a link</button>
        <button type="button" class="secondary" onClick={() => void all()}>
          Download links for every account (CSV)
        </button>
      </div>
    </form>
  );
}
