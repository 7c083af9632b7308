import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { SNIPPET, SNIPPET_VERSION } from '../../build/snippet';

const get = (path: string, headers: Record<string, string> = {}) => exports.default.fetch(new Request(`https://edge.test${path}`, { headers }));

describe('GET /p.js', () => {
  it('serves the built snippet as JavaScript, readable from any site', async () => {
    const res = await get('/p.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.text()).toBe(SNIPPET);
  });

  it('is revalidated by ETag, answering 304 when unchanged', async () => {
    const first = await get('/p.js');
    expect(first.headers.get('cache-control')).toContain('max-age=300');
    const etag = first.headers.get('etag')!;
    expect(etag).toBe(`"${SNIPPET_VERSION}"`);
    const again = await get('/p.js', { 'if-none-match': etag });
    expect(again.status).toBe(304);
  });

  it('is immutable for a year when the URL names its version', async () => {
    const res = await get(`/p.js?v=${SNIPPET_VERSION}`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});
