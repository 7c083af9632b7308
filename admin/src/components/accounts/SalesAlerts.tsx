import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { type AlertSecret, type AlertsConfig, DEFAULT_ALERT_WINDOW_DAYS, SAVED_SECRET, type SiteConfig } from '../../../../shared/schemas';
import { api, type Issue } from '../../api';
import { copyText } from '../../copy';
import { scope } from '../../issues';
import { getState, report, saveEdit, session, useAppState, useCan } from '../../state';
import { Allowed } from '../common/Allowed';
import { ErrorSummary } from '../common/ErrorSummary';
import { Field } from '../common/Field';

/**
 * A webhook URL is a credential: the edge answers `(saved)` in its place. Kept as saved, replaced by
 * a URL typed here, or removed; an empty URL is no channel.
 */
interface Hook {
  /** Whether the draft holds a URL for it. */
  saved: boolean;
  mode: 'keep' | 'edit' | 'remove';
  url: string;
}
const hook = (saved: unknown): Hook => ({ saved: Boolean(saved), mode: saved ? 'keep' : 'edit', url: '' });
const urlOf = (h: Hook) => (h.mode === 'keep' ? SAVED_SECRET : h.mode === 'edit' ? h.url.trim() || undefined : undefined);

function HookField({ label, what, hint, value, onChange, error }: { label: string; what: string; hint: ComponentChildren; value: Hook; onChange: (h: Hook) => void; error: string | undefined }) {
  const set = (mode: Hook['mode']) => onChange({ ...value, mode, url: '' });
  return (
    <Field label={label} error={error} hint={hint}>
      {(p) => (
        <div class="toolbar">
          {value.mode === 'edit' ? (
            <input {...p} class="code grow" autocomplete="off" spellcheck={false} placeholder="https://…" value={value.url} onInput={(e) => onChange({ ...value, url: e.currentTarget.value })} />
          ) : (
            <input {...p} class="grow" readOnly value={value.mode === 'keep' ? 'Saved (not shown: it is a credential)' : 'Removed when you save'} />
          )}
          {value.mode === 'keep' ? (
            <>
              <button type="button" class="secondary" aria-label={`Replace the ${what}`} onClick={() => set('edit')}>
                Replace
              </button>
              <button type="button" class="secondary" aria-label={`Remove the ${what}`} onClick={() => set('remove')}>
                Remove
              </button>
            </>
          ) : (
            value.saved && (
              <button type="button" class="secondary" aria-label={`Keep the saved ${what}`} onClick={() => set('keep')}>
                Keep the saved URL
              </button>
            )
          )}
        </div>
      )}
    </Field>
  );
}

/**
 * Sales alerts: the Slack incoming webhook and the JSON webhook (write-only), the segments that alert
 * and the window, saved to the draft like every edit; owners read the webhook's signing secret.
 */
export function SalesAlerts() {
  const { site, busy } = useAppState();
  const editable = useCan('editor');
  const config = site!.draft.config;
  const alerts = config.alerts;
  const [slack, setSlack] = useState(() => hook(alerts?.slack));
  const [webhook, setWebhook] = useState(() => hook(alerts?.webhook));
  const [only, setOnly] = useState(Boolean(alerts?.segments));
  const [picked, setPicked] = useState<string[]>(alerts?.segments ?? []);
  const [days, setDays] = useState(String(alerts?.windowDays ?? DEFAULT_ALERT_WINDOW_DAYS));
  const [secret, setSecret] = useState<AlertSecret | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const s = scope(issues, 'alerts');
  const claimed = ['slack', 'webhook', 'segments', 'windowDays'];
  const fieldErrors = claimed.filter((c) => s.at(c)).length;

  const save = async () => {
    const slackUrl = urlOf(slack);
    const hookUrl = urlOf(webhook);
    const n = Number(days);
    // built on the config saved over (after a conflict: the other admin's segments)
    const alertsOf = (c: SiteConfig): AlertsConfig | undefined =>
      slackUrl || hookUrl
        ? {
            ...(slackUrl && { slack: { webhookUrl: slackUrl } }),
            ...(hookUrl && { webhook: { url: hookUrl } }),
            ...(only && { segments: c.segments.map((x) => x.id).filter((id) => picked.includes(id)) }),
            ...(n !== DEFAULT_ALERT_WINDOW_DAYS && { windowDays: n }),
          }
        : undefined;
    const result = await saveEdit(
      (c) => ({ ...c, alerts: alertsOf(c) }),
      slackUrl || hookUrl ? 'Sales alerts saved to the draft: publish to send them.' : 'Sales alerts removed from the draft: publish to stop them.',
    );
    setIssues(result.ok ? [] : result.issues);
    if (result.ok) {
      // the answer says (saved) for each URL now stored
      const saved = getState().site?.draft.config.alerts;
      setSlack(hook(saved?.slack));
      setWebhook(hook(saved?.webhook));
    }
  };

  const showSecret = async () => {
    try {
      setSecret(await api.alertSecret(session()));
    } catch (err) {
      report(err);
    }
  };

  return (
    <form
      class="card"
      aria-labelledby="alerts-title"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 id="alerts-title">Sales alerts</h2>
      <p class="hint">
        When a known account (inferred confidence or better: your IP ranges, a signed link, a verified identify, the lookup by IP) enters a segment on a page
        of the site, sales hears about it: a Slack message and/or a signed JSON webhook, once per account and segment per window. Changes go to the draft
        and reach the edge when you publish.
      </p>
      <ErrorSummary fieldErrors={fieldErrors} rest={s.rest(claimed)} />
      <fieldset class="bare" disabled={!editable}>
        <HookField
          label="Slack incoming-webhook URL"
          what="Slack webhook URL"
          hint={<>In Slack: Apps → Incoming Webhooks → Add to Slack, pick the channel, copy the URL (https://hooks.slack.com/services/…).</>}
          value={slack}
          onChange={setSlack}
          error={s.at('slack')}
        />
        <HookField
          label="JSON webhook URL"
          what="webhook URL"
          hint="Your own endpoint (a CRM workflow, Zapier, a server): an https URL, sent the alert as signed JSON."
          value={webhook}
          onChange={setWebhook}
          error={s.at('webhook')}
        />
        <Allowed role="owner">
          <div class="field alert-secret">
            <h3>Webhook signing secret</h3>
            {secret ? (
              <>
                <Field label="Signing secret" hint={<>Each request carries {secret.headers.map((h, i) => <span key={h}>{i ? ', ' : ''}<code>{h}</code></span>)}. To verify: {secret.usage}.</>}>
                  {(p) => <input {...p} class="code" readOnly value={secret.secret} onFocus={(e) => e.currentTarget.select()} />}
                </Field>
                <button type="button" class="secondary" onClick={() => void copyText(secret.secret, 'The signing secret')}>
                  Copy the secret
                </button>
              </>
            ) : (
              <>
                <p class="hint">Your endpoint checks the HMAC-SHA256 signature of each request with it, so it knows the alert came from here.</p>
                <button type="button" class="secondary" onClick={() => void showSecret()}>
                  Show the signing secret
                </button>
              </>
            )}
          </div>
        </Allowed>
        <fieldset aria-describedby={s.at('segments') ? 'alerts-segments-error' : undefined}>
          <legend>Segments that alert</legend>
          <label class="radio">
            <input type="radio" name="alert-segments" checked={!only} onChange={() => setOnly(false)} /> Every segment
          </label>
          <label class="radio">
            <input type="radio" name="alert-segments" checked={only} onChange={() => setOnly(true)} /> Only these:
          </label>
          {only &&
            config.segments.map((x) => (
              <label class="radio" key={x.id}>
                <input
                  type="checkbox"
                  checked={picked.includes(x.id)}
                  onChange={(e) => setPicked(e.currentTarget.checked ? [...picked, x.id] : picked.filter((id) => id !== x.id))}
                />{' '}
                {x.name}
              </label>
            ))}
          {s.at('segments') && (
            <p class="error" id="alerts-segments-error">
              {s.at('segments')}
            </p>
          )}
        </fieldset>
        <Field
          label="Alert an account again after (days)"
          error={s.at('windowDays')}
          hint="An account that stays in a segment and keeps visiting is alerted again once this many days have passed (1–90)."
        >
          {(p) => <input {...p} type="number" min={1} max={90} step={1} value={days} onInput={(e) => setDays(e.currentTarget.value)} />}
        </Field>
      </fieldset>
      {editable && (
        <button type="submit" disabled={busy}>
          Save alert settings
        </button>
      )}
    </form>
  );
}
