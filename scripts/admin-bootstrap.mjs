// Makes the admin usable after `npm start`: a local admin token, and the seeded demo taken over by
// the admin's system of record (its Durable Object). For scripts/start.mjs:
//   const token = ensureDevAdminToken();              // before `wrangler dev` starts (it reads .dev.vars once)
//   await bootstrapAdminSite(origin, token, 'demo');  // once /health answers
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './lib.mjs';

/** The ADMIN_TOKEN of `.dev.vars` (git-ignored), creating a random one if there is none. */
export function ensureDevAdminToken(file = join(root, '.dev.vars')) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const found = /^ADMIN_TOKEN\s*=\s*"?([^"\r\n]+)"?\s*$/m.exec(text);
  if (found) return found[1].trim();
  const token = randomBytes(24).toString('base64url');
  const separator = text === '' || text.endsWith('\n') ? '' : '\n';
  writeFileSync(file, `${text}${separator}ADMIN_TOKEN=${token}\n`, { mode: 0o600 });
  return token;
}

/**
 * Has the site's SiteStore adopt the config and accounts already in KV (the demo is seeded straight
 * into KV), a page of 500 accounts per call. Safe to repeat: accounts it holds are kept as they are.
 */
export async function bootstrapAdminSite(origin, token, site = 'demo') {
  const totals = { adopted: 0, kept: 0, unreadable: 0 };
  let cursor;
  do {
    const res = await fetch(`${origin}/api/admin/sites/${encodeURIComponent(site)}/bootstrap`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(cursor ? { cursor } : {}),
    });
    if (!res.ok) throw new Error(`admin bootstrap of "${site}" failed: ${res.status} ${await res.text()}`);
    const page = await res.json();
    totals.adopted += page.adopted;
    totals.kept += page.kept;
    totals.unreadable += page.unreadable;
    cursor = page.cursor;
  } while (cursor);
  return totals;
}
