// `npm start`: build, seed the demo data into local KV (first run only, so admin edits survive a
// restart), run the Worker with wrangler dev, and hand the demo site to the admin's system of record.
import { spawn, spawnSync } from 'node:child_process';
import { bootstrapAdminSite, ensureDevAdminToken } from './admin-bootstrap.mjs';
import { root, quietEnv, wrangler, wranglerBin } from './lib.mjs';

const port = process.env.PORT ?? '8787';
const run = (cmd, args) =>
  new Promise((resolve, reject) =>
    spawn(cmd, args, { cwd: root, stdio: 'inherit' }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} failed`)))),
  );

await run(process.execPath, ['scripts/build.mjs']);
const seeded = spawnSync(process.execPath, [wranglerBin, 'kv', 'key', 'get', 'config:demo', '--binding', 'KV', '--local'], { cwd: root, env: quietEnv, encoding: 'utf8' });
if (seeded.status === 0 && seeded.stdout.includes('"site"')) {
  console.log('demo data already in local KV (delete .wrangler/ to reseed)');
  // a checkout that gained migrations since its first run still gets them
  await wrangler(['d1', 'migrations', 'apply', 'pz-events', '--local']);
} else await run(process.execPath, ['scripts/seed.mjs']);
const token = ensureDevAdminToken(); // before wrangler dev, which reads .dev.vars once

const dev = spawn(process.execPath, [wranglerBin, 'dev', '--port', port, '--ip', '127.0.0.1'], { cwd: root, env: quietEnv, stdio: 'inherit' });
const stop = () => dev.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
dev.on('exit', (code) => process.exit(code ?? 0));

const origin = `http://127.0.0.1:${port}`;
for (let i = 0; i < 120; i++) {
  await new Promise((r) => setTimeout(r, 500));
  try {
    if ((await fetch(`${origin}/health`)).ok) {
      await bootstrapAdminSite(origin, token, 'demo').catch((err) => console.error(String(err)));
      console.log(`
  Personalization edge is running: ${origin}/
    Demo site (view it as different accounts): ${origin}/demo
    Snippet:                                   ${origin}/p.js
    Decide API:                                POST ${origin}/v1/decide
    Admin:                                     ${origin}/admin   (token: ${token}, from .dev.vars)
  Stop with Ctrl+C.
`);
      break;
    }
  } catch {
    // not up yet
  }
}
