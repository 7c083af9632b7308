import { execSync } from 'node:child_process';
import autocannon from 'autocannon';
import { startWorker } from '../worker.mjs';
const w = await startWorker({ persistTo: '/tmp/pzb/s1/kv' });
try {
  console.log(w.origin);
  console.log(execSync(`ss -ltnp | grep workerd`).toString());
  const ports = [...execSync(`ss -ltnp | grep workerd`).toString().matchAll(/127\.0\.0\.1:(\d+)/g)].map(m => m[1]);
  for (const p of ports) {
    try {
      const r = await fetch(`http://127.0.0.1:${p}/health`, { signal: AbortSignal.timeout(2000) });
      const t = await r.text();
      console.log(p, r.status, t.slice(0, 80));
      if (r.ok && t.includes('ok')) {
        const res = await autocannon({ url: `http://127.0.0.1:${p}/health`, connections: 10, duration: 4 });
        console.log('  ', p, res.requests.average, res.latency.p50);
      }
    } catch (e) { console.log(p, String(e).slice(0, 80)); }
  }
} finally { await w.stop(); }
