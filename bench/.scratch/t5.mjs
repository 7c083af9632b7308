import { createServer } from 'node:http';
import autocannon from 'autocannon';
const s = createServer((q, r) => { r.end('{"ok":true}'); }).listen(0, '127.0.0.1');
await new Promise(r => s.on('listening', r));
const res = await autocannon({ url: `http://127.0.0.1:${s.address().port}`, connections: 10, duration: 5 });
console.log(res.requests.average, res.latency.p50);
s.close();
