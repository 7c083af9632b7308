/**
 * globalSetup of the worker project (vitest.config.ts), and startHooksStandIn() for a browser test's own Worker
 * (test/browser/admin-alerts.test.ts): stand-ins on 127.0.0.1 for where sales alerts go
 * (edge/alerts/), answering in the documented shapes (Slack itself cannot be reached from here):
 *
 * - Slack incoming webhooks, `POST /services/<team>/<bot>/<token>` (the Worker's SLACK_HOOKS_URL points
 *   here instead of https://hooks.slack.com): a JSON body `{text, blocks}` → `200 ok`. As Slack documents
 *   (api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks, docs/rate-limits):
 *   `400 invalid_payload` for a body that is not JSON with a text or blocks, `400 invalid_blocks` beyond
 *   Block Kit's limits, `404 no_service`, `410 channel_is_archived`, `500 rollup_error`, and
 *   `429 rate_limited` with `Retry-After` (seconds). The token scripts the answer:
 *     ok-…         200 ok, unless the previous message to this token came less than 1 s before: 429,
 *                  Retry-After: 1 (Slack allows ~1 message per second per channel; here strictly)
 *     ratelimit-…  the first message 429 with Retry-After: 1, then as ok-…
 *     archived-…   410 channel_is_archived        noservice-… 404 no_service
 *     broken-…     500 rollup_error, every time    flaky-…     500 once, then as ok-…
 * - A JSON webhook receiver, `POST /hook/<name>`: ok-… answers 200 `{"received":true}`, down-… 503.
 *
 * `GET /__calls?prefix=/services/T0/B0/ok-abc` lists the requests received under a path prefix: path,
 * time received (epoch ms), the status answered, headers and the raw body.
 */
import { listenLocal } from './local-server';
import { createServer } from 'node:http';
import type { TestProject } from 'vitest/node';
import type { HookCall } from '../worker/support/hooks-fixture';

function slackAnswer(token: string, body: string, seen: HookCall[], now: number): { status: number; text: string; headers?: Record<string, string> } {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return { status: 400, text: 'invalid_payload' };
  }
  const p = payload as { text?: unknown; blocks?: unknown };
  if (typeof p !== 'object' || p === null || (typeof p.text !== 'string' && !Array.isArray(p.blocks))) return { status: 400, text: 'invalid_payload' };
  if (Array.isArray(p.blocks) && !blocksValid(p.blocks)) return { status: 400, text: 'invalid_blocks' };
  const mine = seen.filter((c) => c.path.endsWith(`/${token}`));
  const previous = mine.at(-1);
  const kind = token.split('-')[0];
  if (kind === 'archived') return { status: 410, text: 'channel_is_archived' };
  if (kind === 'noservice') return { status: 404, text: 'no_service' };
  if (kind === 'broken') return { status: 500, text: 'rollup_error' };
  if (kind === 'flaky' && mine.length === 0) return { status: 500, text: 'rollup_error' };
  if (kind === 'ratelimit' && mine.length === 0) return { status: 429, text: 'rate_limited', headers: { 'retry-after': '1' } };
  if (previous && now - previous.at < 1000) return { status: 429, text: 'rate_limited', headers: { 'retry-after': '1' } };
  return { status: 200, text: 'ok' };
}

/** Block Kit's limits the alert message must keep: ≤ 50 blocks, a header's text ≤ 150, a section's ≤ 3,000, ≤ 10 fields of ≤ 2,000. */
function blocksValid(blocks: unknown[]): boolean {
  if (blocks.length > 50) return false;
  return blocks.every((b) => {
    const block = b as { type?: string; text?: { text?: string }; fields?: { text?: string }[] };
    if (block.type === 'header') return (block.text?.text?.length ?? 0) <= 150;
    if (block.type === 'section') return (block.text?.text?.length ?? 0) <= 3000 && (block.fields ?? []).length <= 10 && (block.fields ?? []).every((f) => (f.text?.length ?? 0) <= 2000);
    return ['context', 'actions', 'divider'].includes(block.type ?? '');
  });
}

export default async function setup(project: TestProject) {
  const standIn = await startHooksStandIn(Number(process.env.PZ_HOOKS_PORT));
  project.provide('hooksServer', standIn.origin);
  return standIn.close;
}

/** The stand-in on `port` of 127.0.0.1 (0: a free one); a browser test's own Worker points SLACK_HOOKS_URL at it. */
export async function startHooksStandIn(port = 0): Promise<{ origin: string; close: () => Promise<void> }> {
  const calls: HookCall[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname === '/__calls') {
      const prefix = url.searchParams.get('prefix') ?? '/';
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(calls.filter((c) => c.path.startsWith(prefix))));
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const now = Date.now();
      const slack = /^\/services\/[^/]+\/[^/]+\/([^/]+)$/.exec(url.pathname);
      const hook = /^\/hook\/([^/]+)$/.exec(url.pathname);
      let answer: { status: number; text: string; headers?: Record<string, string> };
      if (req.method !== 'POST' || (!slack && !hook)) answer = { status: 404, text: 'no_service' };
      else if (slack) answer = slackAnswer(slack[1]!, body, calls.filter((c) => c.status === 200 || c.status === 429), now);
      else answer = hook![1]!.startsWith('down') ? { status: 503, text: 'unavailable' } : { status: 200, text: '{"received":true}' };
      calls.push({ path: url.pathname, at: now, status: answer.status, headers: req.headers, body });
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers }).end(answer.text);
    });
  });
  return listenLocal(server, port);
}
