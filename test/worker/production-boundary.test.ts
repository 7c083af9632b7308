/**
 * The production boundary: the development-only routes (demo pages, the bench's floor, which reads any
 * KV key it is given) exist only where DEV_ROUTES = "on" (wrangler.toml's top-level [vars], which these
 * tests run with) and never where ENVIRONMENT is production. The Worker's own fetch handler is called
 * with the env [env.production] gives (ENVIRONMENT = "production", DEV_ROUTES "off" or unset) and a KV
 * that records every use: each route answers the app's 404, exactly like an unknown path, and KV is
 * never touched. That `wrangler deploy --dry-run --env production` succeeds is checked by the bench
 * (`npm run bench -- --only size`, bench/worker.mjs productionBundle), not here.
 */
import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../edge/index';
import { devRoutesEnabled } from '../../edge/dev-routes';

/** env.KV behind a proxy that records which of its methods are used (get, list, getWithMetadata, …) and with what key. */
function recordingKv() {
  const uses: string[] = [];
  const kv = new Proxy(env.KV, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        uses.push(`${String(prop)} ${String(args[0])}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { kv, uses };
}

async function call(method: string, path: string, overrides: Partial<Cloudflare.Env>) {
  const { kv, uses } = recordingKv();
  const ctx = createExecutionContext();
  const init: RequestInit = method === 'POST' ? { method, body: JSON.stringify({ site: 'demo', url: 'http://localhost/' }), headers: { 'content-type': 'text/plain' } } : { method };
  const res = await worker.fetch(new Request(`https://edge.test${path}`, { ...init, redirect: 'manual' }), { ...env, KV: kv, ...overrides }, ctx);
  const body = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, type: res.headers.get('content-type'), location: res.headers.get('location'), body, uses };
}

const DEV_ONLY: [method: string, path: string][] = [
  ['GET', '/demo'],
  ['GET', '/demo/pricing'],
  ['GET', '/demo/vs/snowflake'],
  ['GET', '/demo/docs/getting-started'],
  ['GET', '/demo/signup?intent=demo'],
  ['GET', '/demo/logos/halcyon-freight.svg'],
  ['POST', '/bench/floor'],
  ['POST', '/bench/floor?kv=config:demo'],
];

/** What [env.production] gives the Worker, and what a misconfigured one might. */
const PRODUCTION_LIKE: [name: string, overrides: Partial<Cloudflare.Env>][] = [
  ['[env.production] (ENVIRONMENT production, DEV_ROUTES off)', { ENVIRONMENT: 'production', DEV_ROUTES: 'off' }],
  ['ENVIRONMENT production, no DEV_ROUTES', { ENVIRONMENT: 'production', DEV_ROUTES: undefined }],
  ['ENVIRONMENT production even with DEV_ROUTES on', { ENVIRONMENT: 'production', DEV_ROUTES: 'on' }],
  ['another environment without DEV_ROUTES', { ENVIRONMENT: 'staging', DEV_ROUTES: undefined }],
];

describe('development-only routes where they are not enabled', () => {
  for (const [name, overrides] of PRODUCTION_LIKE) {
    it(`answers the app's 404 and reads no KV: ${name}`, async () => {
      expect(devRoutesEnabled({ ...env, ...overrides })).toBe(false);
      const home = await call('GET', '/', overrides);
      expect(home).toMatchObject({ status: 200, body: 'ok: personalization edge\n', uses: [] });
      const unknown = await call('GET', '/no-such-path', overrides);
      expect(unknown.status).toBe(404);
      expect(JSON.parse(unknown.body)).toEqual({ error: 'not found' });
      for (const [method, path] of DEV_ONLY) {
        const res = await call(method, path, overrides);
        expect({ route: `${method} ${path}`, status: res.status, type: res.type, body: res.body, location: res.location }).toEqual({
          route: `${method} ${path}`,
          status: 404,
          type: unknown.type,
          body: unknown.body,
          location: null,
        });
        expect(res.uses, `${method} ${path}`).toEqual([]);
      }
    });
  }

  it('leaves the production routes alone', async () => {
    const overrides = { ENVIRONMENT: 'production', DEV_ROUTES: undefined };
    expect((await call('GET', '/health', overrides)).status).toBe(200);
    expect((await call('GET', '/p.js', overrides)).status).toBe(200);
  });
});

describe('development-only routes with DEV_ROUTES = "on" (the top-level wrangler.toml the tests run)', () => {
  it('is what the test runtime gets from wrangler.toml', () => {
    expect(env.ENVIRONMENT).toBe('development');
    expect(env.DEV_ROUTES).toBe('on');
    expect(devRoutesEnabled(env)).toBe(true);
  });

  it('opens on a page linking the demo and the admin, and serves the demo pages and logos', async () => {
    const root = await call('GET', '/', {});
    expect(root.status).toBe(200);
    expect(root.type).toContain('text/html');
    for (const link of ['href="/demo"', 'href="/admin"', 'src="https://edge.test/p.js" data-site="demo"']) expect(root.body).toContain(link);
    for (const path of ['/demo', '/demo/pricing', '/demo/vs/snowflake', '/demo/docs/getting-started']) {
      const page = await call('GET', path, {});
      expect(page.status, path).toBe(200);
      expect(page.type, path).toContain('text/html');
      expect(page.body, path).toContain('data-pz-slot="hero-headline"');
    }
    const signup = await call('GET', '/demo/signup?intent=demo', {});
    expect(signup.status).toBe(200);
    expect(signup.body).toContain('Thanks!');
    const logo = await call('GET', '/demo/logos/halcyon-freight.svg', {});
    expect(logo.status).toBe(200);
    expect(logo.type).toBe('image/svg+xml');
    expect((await call('GET', '/demo/logos/nope.svg', {})).status).toBe(404);
  });

  it('serves the floor, reading KV only when asked to', async () => {
    const floor = await call('POST', '/bench/floor', {});
    expect(floor.status).toBe(200);
    expect(JSON.parse(floor.body)).toEqual({ ok: true });
    expect(floor.uses).toEqual([]);
    const withKv = await call('POST', '/bench/floor?kv=config:demo', {});
    expect(withKv.status).toBe(200);
    expect(JSON.parse(withKv.body)).toEqual({ ok: true });
    expect(withKv.uses).toEqual(['get config:demo']);
  });
});
