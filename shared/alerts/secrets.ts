import { type AlertsConfig, isLoopback, SAVED_SECRET, type SiteConfig } from '../schemas';

/**
 * The alert webhook URLs are write-only (shared/schemas/alerts.ts SAVED_SECRET). Where a config leaves
 * the site store for a client (the admin's GET and PUT answers, a stale write's `current`, the visual
 * editor's draft) it is redacted here; a save that sends `(saved)` back keeps the URL the draft held.
 */

export function redactAlerts<T extends Pick<SiteConfig, 'alerts'>>(config: T): T {
  const alerts = config.alerts;
  if (!alerts) return config;
  const redacted: AlertsConfig = {
    ...alerts,
    ...(alerts.slack && { slack: { ...alerts.slack, webhookUrl: SAVED_SECRET } }),
    ...(alerts.webhook && { webhook: { ...alerts.webhook, url: SAVED_SECRET } }),
  };
  return { ...config, alerts: redacted };
}

export type Issue = { path: string; message: string };

/**
 * The config to store for a save: `(saved)` replaced by the URL the current draft holds. Issues (paths
 * as the save request names them, `config.alerts…`) for a `(saved)` with nothing saved, and for an http
 * webhook where the edge is not in development (`dev`: DEV_ROUTES on).
 */
export function keepAlertSecrets(incoming: SiteConfig, current: SiteConfig | undefined, dev: boolean): { config: SiteConfig } | { issues: Issue[] } {
  const alerts = incoming.alerts;
  if (!alerts) return { config: incoming };
  const issues: Issue[] = [];
  const next: AlertsConfig = { ...alerts };
  if (alerts.slack?.webhookUrl === SAVED_SECRET) {
    const saved = current?.alerts?.slack?.webhookUrl;
    if (saved && saved !== SAVED_SECRET) next.slack = { ...alerts.slack, webhookUrl: saved };
    else issues.push({ path: 'config.alerts.slack.webhookUrl', message: 'no Slack webhook URL is saved to keep: paste the URL' });
  }
  if (alerts.webhook?.url === SAVED_SECRET) {
    const saved = current?.alerts?.webhook?.url;
    if (saved && saved !== SAVED_SECRET) next.webhook = { ...alerts.webhook, url: saved };
    else issues.push({ path: 'config.alerts.webhook.url', message: 'no webhook URL is saved to keep: paste the URL' });
  }
  const url = next.webhook?.url;
  if (url && url !== SAVED_SECRET && !dev && new URL(url).protocol === 'http:' && isLoopback(new URL(url)))
    issues.push({ path: 'config.alerts.webhook.url', message: 'http://127.0.0.1 and localhost are for development (DEV_ROUTES on): use an https URL' });
  return issues.length ? { issues } : { config: { ...incoming, alerts: next } };
}
