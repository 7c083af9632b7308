import type { AlertPayload } from '../schemas';

/**
 * The Slack incoming-webhook message of an alert: `{ text, blocks }` (Block Kit). `text` is the
 * notification and fallback; the blocks say who, which segment, why, what the account did recently,
 * and link to the account in the admin. Within Block Kit's limits (a header's text ≤ 150 characters, a
 * section's ≤ 3,000, a field's ≤ 2,000, ≤ 10 fields, ≤ 50 blocks).
 *
 * Account names, paths and attribute values come from imports and page views: they are escaped as
 * Slack asks (`&`, `<`, `>`), so a name such as `<!channel>` can neither ping a channel nor forge a link.
 */

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

type Text = { type: 'mrkdwn' | 'plain_text'; text: string };
export type SlackBlock =
  | { type: 'header'; text: Text }
  | { type: 'section'; text?: Text; fields?: Text[] }
  | { type: 'context'; elements: Text[] }
  | { type: 'actions'; elements: { type: 'button'; text: Text; url: string; action_id: string }[] };

/** Slack's mrkdwn control characters. */
export const escapeMrkdwn = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const mrkdwn = (text: string, max = 3000): Text => ({ type: 'mrkdwn', text: cut(text, max) });
const plain = (text: string, max: number): Text => ({ type: 'plain_text', text: cut(text, max) });

/** `<url|label>`: a URL with `|` or `>` would end the link early, so those are percent-encoded. */
const link = (url: string, label: string) => `<${url.replace(/\|/g, '%7C').replace(/>/g, '%3E')}|${escapeMrkdwn(label)}>`;

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

export function slackMessage(alert: AlertPayload): SlackMessage {
  const name = alert.account.name ?? alert.account.domain;
  const title = `${name} entered ${alert.segment.name}`;
  const text = `${escapeMrkdwn(name)} (${escapeMrkdwn(alert.account.domain)}) entered the segment ${escapeMrkdwn(alert.segment.name)} on ${escapeMrkdwn(alert.siteName)}`;

  const account = alert.adminUrl ? link(alert.adminUrl, name) : `*${escapeMrkdwn(name)}*`;
  const facts = [
    alert.account.industry && `Industry: ${escapeMrkdwn(alert.account.industry)}`,
    alert.account.employees !== undefined && `Employees: ${alert.account.employees.toLocaleString('en-US')}`,
    alert.account.country && `Country: ${escapeMrkdwn(alert.account.country)}`,
    alert.account.stage && `Stage: ${escapeMrkdwn(alert.account.stage)}`,
  ].filter(Boolean);
  const fields = [
    mrkdwn(`*Account*\n${account}\n${escapeMrkdwn(alert.account.domain)}`, 2000),
    mrkdwn(`*Segment*\n${escapeMrkdwn(alert.segment.name)} (${escapeMrkdwn(alert.segment.kind)})`, 2000),
    mrkdwn(`*Page*\n${escapeMrkdwn(alert.page)}\n${when(alert.enteredAt)}`, 2000),
    mrkdwn(`*Known by*\n${escapeMrkdwn(alert.resolvedBy.method)}, ${escapeMrkdwn(alert.resolvedBy.confidence)}`, 2000),
  ];
  if (facts.length) fields.push(mrkdwn(`*Company*\n${facts.join('\n')}`, 2000));

  const blocks: SlackBlock[] = [
    { type: 'header', text: plain(title, 150) },
    { type: 'section', fields },
    { type: 'section', text: mrkdwn(`*Why*\n${alert.why.map((w) => `• ${escapeMrkdwn(w)}`).join('\n') || '• the segment’s rule held'}`) },
  ];
  if (alert.activity) blocks.push({ type: 'section', text: mrkdwn(activityText(alert.activity)) });
  if (alert.adminUrl) blocks.push({ type: 'actions', elements: [{ type: 'button', text: plain('Open the account', 75), url: alert.adminUrl, action_id: 'open-account' }] });
  blocks.push({
    type: 'context',
    elements: [mrkdwn(`${escapeMrkdwn(alert.siteName)} · at most one alert per account and segment every ${alert.windowDays} day${alert.windowDays === 1 ? '' : 's'} · alert ${escapeMrkdwn(alert.id)}`)],
  });
  return { text, blocks };
}

function activityText(a: NonNullable<AlertPayload['activity']>): string {
  const groups = Object.entries(a.byGroup)
    .sort((x, y) => y[1] - x[1])
    .slice(0, 6)
    .map(([g, n]) => `${escapeMrkdwn(g)} ${n}`);
  const lines = [
    `*Recent activity (${a.days} days)*`,
    `${a.views} page view${a.views === 1 ? '' : 's'} by ${a.visitors} ${a.visitors === 1 ? 'person' : 'people'} in ${a.sessions} session${a.sessions === 1 ? '' : 's'}${groups.length ? ` · ${groups.join(', ')}` : ''}`,
    ...a.recent.map((v) => `• ${when(v.at)} ${escapeMrkdwn(v.path)}`),
  ];
  return lines.join('\n');
}
