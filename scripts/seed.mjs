// Loads the demo site and accounts into local KV and creates the local measurement database (D1,
// migrations/): `node scripts/seed.mjs [--persist-to DIR] [--sites demo,demo-admin,...]`.
// `--sites` seeds a copy of the demo (config and accounts) under each site id, default just "demo";
// the browser tests give each test file that changes a site its own copy on one shared Worker.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importTs, wrangler } from './lib.mjs';

const { values } = parseArgs({ options: { 'persist-to': { type: 'string' }, sites: { type: 'string', default: 'demo' } } });
const sites = [...new Set(values.sites.split(',').map((s) => s.trim()).filter(Boolean))];
const SITE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/; // shared/schemas/primitives.ts Id
const bad = sites.filter((s) => !SITE_ID.test(s));
if (!sites.length || bad.length) {
  console.error(`--sites takes site ids (lower-case letters, digits, - or _), got: ${JSON.stringify(values.sites)}`);
  process.exit(1);
}
const [{ demoSeed }, { buildKvEntries }, { demoSite, demoAccounts }] = await Promise.all([
  importTs('shared/demo/seed.ts'),
  importTs('shared/kv/entries.ts'),
  importTs('shared/demo/site.ts'),
]);
const entries = [];
for (const site of sites) {
  // "demo" is exactly the demo seed; a copy is the same config under its own id (the admin edits a
  // config only under the id it names) with the same accounts.
  const seeded = site === demoSite.site ? demoSeed() : buildKvEntries(site, { ...demoSite, site }, demoAccounts);
  if (seeded.rejected.length) {
    console.error('demo data has invalid rows:', seeded.rejected);
    process.exit(1);
  }
  entries.push(...seeded.entries);
}
const dir = mkdtempSync(join(tmpdir(), 'pz-seed-'));
const file = join(dir, 'entries.json');
writeFileSync(file, JSON.stringify(entries));
try {
  const persist = values['persist-to'] ? ['--persist-to', values['persist-to']] : [];
  await wrangler(['kv', 'bulk', 'put', file, '--binding', 'KV', '--local', ...persist], { stdio: ['ignore', 'ignore', 'inherit'] });
  console.log(`seeded ${entries.length} KV entries for ${sites.map((s) => `site "${s}"`).join(', ')}`);
  await wrangler(['d1', 'migrations', 'apply', 'pz-events', '--local', ...persist], { stdio: ['ignore', 'ignore', 'inherit'] });
  console.log('applied the measurement database migrations (local D1)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
