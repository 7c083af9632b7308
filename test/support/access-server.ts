/**
 * globalSetup of the worker project (vitest.config.ts): a stand-in for a Cloudflare Access team domain on 127.0.0.1,
 * answering `GET /cdn-cgi/access/certs` in Access's documented shape (`{ keys: [JWK…], public_cert,
 * public_certs }`, RS256 keys with `kid`; the X.509 PEMs are left empty: nothing here reads them).
 * The signing half of its key reaches the tests through `provide('access')`, so they sign tokens the
 * Worker verifies exactly as it would Access's. `GET /__fetches` counts certs requests.
 */
import { createServer } from 'node:http';
import { webcrypto } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import type { AccessFixture } from '../worker/support/access-fixture';

export const ACCESS_AUD = 'test-access-aud-0123456789abcdef';

export default async function setup(project: TestProject) {
  const port = Number(process.env.PZ_ACCESS_PORT);
  const { publicKey, privateKey } = await webcrypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );
  const kid = 'test-kid-1';
  const publicJwk = { ...(await webcrypto.subtle.exportKey('jwk', publicKey)), kid, alg: 'RS256', use: 'sig' };
  delete (publicJwk as { key_ops?: unknown }).key_ops;
  delete (publicJwk as { ext?: unknown }).ext;
  const privateJwk = { ...(await webcrypto.subtle.exportKey('jwk', privateKey)), kid, alg: 'RS256' } as AccessFixture['privateJwk'];
  let fetches = 0;
  const server = createServer((req, res) => {
    if (req.url === '/cdn-cgi/access/certs') {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [publicJwk], public_cert: { kid, cert: '' }, public_certs: [{ kid, cert: '' }] }));
    } else if (req.url === '/__fetches') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ fetches }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const fixture: AccessFixture = { teamDomain: `http://127.0.0.1:${port}`, aud: ACCESS_AUD, kid, privateJwk };
  project.provide('access', fixture);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
