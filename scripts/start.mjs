// `npm start`: build the snippet, seed the demo data into local KV, run the Worker with wrangler dev.
import { spawn } from 'node:child_process';
import { root, quietEnv, wranglerBin } from './lib.mjs';

const port = process.env.PORT ?? '8787';
const run = (cmd, args) =>
  new Promise((resolve, reject) =>
    spawn(cmd, args, { cwd: root, stdio: 'inherit' }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} failed`)))),
  );

await run(process.execPath, ['scripts/build.mjs']);
await run(process.execPath, ['scripts/seed.mjs']);

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
      console.log(`
  Personalization edge is running.
    Demo site (view it as different accounts): ${origin}/demo
    Snippet:                                   ${origin}/p.js
    Decide API:                                POST ${origin}/v1/decide
  Stop with Ctrl+C.
`);
      break;
    }
  } catch {
    // not up yet
  }
}
