import { useState } from 'preact/hooks';
import type { Issue } from '../../api';
import { scope } from '../../issues';
import { lines, originError } from '../../origins';
import { saveEdit, useAppState, useCan } from '../../state';
import { copyText } from '../../copy';
import { ErrorSummary } from '../common/ErrorSummary';
import { Field } from '../common/Field';
import { ArchiveCard, ArchivedBanner } from './Archive';
import { PageGroupsForm } from './PageGroupsForm';
import { TagCheckCard } from './TagCheckCard';
import { ReadCopyAlert } from './ReadCopyAlert';
import { ViewHeading } from '../common/ViewHeading';

/** The tag to paste, the site's name and allowed origins, and (owners) archiving it. */
export function SiteView() {
  const { site, busy } = useAppState();
  const editable = useCan('editor');
  const config = site!.draft.config;
  const [name, setName] = useState(config.name);
  const [origins, setOrigins] = useState(config.allowedOrigins.join('\n'));
  const [unsignedLinks, setUnsignedLinks] = useState(config.unsignedLinks !== false);
  const [provider, setProvider] = useState<string>(config.enrichment?.provider ?? '');
  const [acceptFuzzy, setAcceptFuzzy] = useState(config.enrichment?.accept === 'fuzzy');
  const [issues, setIssues] = useState<Issue[]>([]);
  const s = scope(issues, '');
  const originsError = originError(issues);
  const fieldErrors = [s.at('name'), originsError, s.at('enrichment')].filter(Boolean).length;

  return (
    <section aria-labelledby="site-title">
      <ViewHeading intro="Paste the tag into the <head> of every page to personalize.">
        <span id="site-title">Site &amp; tag</span>
      </ViewHeading>
      <ArchivedBanner />
      <ReadCopyAlert />
      <div class="card">
        <h2>The tag</h2>
        <Field label="Tag to paste into <head>" hint="The style hides only the slots (marked ones and selector slots), for at most 800 ms. Copy it again after adding a selector slot.">
          {(p) => <textarea {...p} class="code" readOnly rows={4} value={site!.tag} onFocus={(e) => e.currentTarget.select()} />}
        </Field>
        <button type="button" onClick={() => void copyText(site!.tag, 'The tag')}>
          Copy the tag
        </button>
      </div>
      <TagCheckCard />
      <form
        class="card"
        onSubmit={async (e) => {
          e.preventDefault();
          const result = await saveEdit(
            (c) => ({
              ...c,
              name: name.trim(),
              allowedOrigins: lines(origins),
              ...(unsignedLinks ? { unsignedLinks: undefined } : { unsignedLinks: false }),
              enrichment: provider ? { provider: provider as 'ipinfo' | 'clearbit', accept: acceptFuzzy ? 'fuzzy' : 'exact' } : undefined,
            }),
            'Site settings saved to the draft.',
          );
          setIssues(result.ok ? [] : result.issues);
        }}
      >
        <h2>Settings</h2>
        <ErrorSummary fieldErrors={fieldErrors} rest={s.rest(['name', 'allowedOrigins', 'enrichment'])} />
        {/* viewers read the settings; the edge would refuse their save */}
        <fieldset class="bare" disabled={!editable}>
          <Field label="Site name" error={s.at('name')}>
            {(p) => <input {...p} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <Field
            label="Allowed origins"
            error={originsError}
            hint={<>One per line, e.g. <code>https://www.example.com</code>; <code>http://localhost:*</code> allows any local port.</>}
          >
            {(p) => <textarea {...p} class="code" rows={5} value={origins} spellcheck={false} onInput={(e) => setOrigins(e.currentTarget.value)} />}
          </Field>
          <div class="field">
            <label>
              <input type="checkbox" checked={unsignedLinks} onChange={(e) => setUnsignedLinks(e.currentTarget.checked)} /> Accept plain{' '}
              <code>?pz_account=</code> links
            </label>
            <p class="hint">
              Anyone can type one, so they only ever show segments that accept claimed identities. Signed links (Accounts → Signed links) always work.
            </p>
          </div>
          <Field
            label="Company lookup by IP address"
            error={s.at('enrichment')}
            hint={
              <>
                Asked when the visitor's company is not known otherwise, within 150 ms, cached per address. Needs the deploy's secret{' '}
                <code>IPINFO_TOKEN</code> or <code>CLEARBIT_KEY</code>. Consumer ISPs, mobile carriers and hosting never count as a company.
              </>
            }
          >
            {(p) => (
              <select {...p} value={provider} onChange={(e) => setProvider(e.currentTarget.value)}>
                <option value="">None</option>
                <option value="ipinfo">IPinfo</option>
                <option value="clearbit">Clearbit Reveal (HubSpot)</option>
              </select>
            )}
          </Field>
          {provider === 'clearbit' && (
            <div class="field">
              <label>
                <input type="checkbox" checked={acceptFuzzy} onChange={(e) => setAcceptFuzzy(e.currentTarget.checked)} /> Count the provider's guesses
                (fuzzy matches)
              </label>
              <p class="hint">A guess names a company near the address, not at it. Off: only exact matches personalize.</p>
            </div>
          )}
        </fieldset>
        {editable && (
          <button type="submit" disabled={busy}>
            Save settings
          </button>
        )}
      </form>
      <PageGroupsForm />
      <ArchiveCard />
    </section>
  );
}
