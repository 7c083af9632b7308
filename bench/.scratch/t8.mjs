import { measureScale } from '../scale.mjs';
import { snapshotWorker } from '../worker.mjs';
const snapshot = await snapshotWorker();
const t = Date.now();
try {
  const r = await measureScale({ points: [{ accounts: 1_000_000, ranges: 1_000_000 }], snapshot, load: { connections: 10, duration: 3, rounds: 1, warmup: 1 }, deadline: Date.now() + 60000, log: console.log });
  console.log(JSON.stringify(r.map(p => ({ seed: p.seed, startMs: p.startMs, verified: p.verified, decide: p.decide?.p50, floor: p.floor?.p50, error: p.error, sectionMs: p.sectionMs }))));
} finally { snapshot.remove(); }
console.log('total', (Date.now() - t) / 1000);
