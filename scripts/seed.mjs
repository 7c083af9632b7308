// Loads the demo site and accounts into local KV and creates the local measurement database (D1,
// migrations/): `node scripts/seed.mjs [--persist-to DIR]`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importTs, wrangler } from './lib.mjs';

const { values } = parseArgs({ options: { 'persist-to': { type: 'string' } } });
const { demoSeed } = await importTs('shared/demo/seed.ts');
const { entries, rejected } = demoSeed();
if (rejected.length) {
  console.error('demo data has invalid rows:', rejected);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'pz-seed-'));
const file = join(dir, 'entries.json');
writeFileSync(file, JSON.stringify(entries));
try {
  const persist = values['persist-to'] ? ['--persist-to', values['persist-to']] : [];
  await wrangler(['kv', 'bulk', 'put', file, '--binding', 'KV', '--local', ...persist], { stdio: ['ignore', 'ignore', 'inherit'] });
  console.log(`seeded ${entries.length} KV entries for site "demo"`);
  await wrangler(['d1', 'migrations', 'apply', 'pz-events', '--local', ...persist], { stdio: ['ignore', 'ignore', 'inherit'] });
  console.log('applied the measurement database migrations (local D1)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
