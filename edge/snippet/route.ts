import { Hono } from 'hono';
import { SNIPPET, SNIPPET_VERSION } from '../../build/snippet';
import type { AppEnv } from '../env';

export const snippetRoutes = new Hono<AppEnv>();

const etag = `"${SNIPPET_VERSION}"`;

/**
 * `/p.js?v=<version>` is immutable and cached for a year; plain `/p.js` (the tag marketers paste)
 * is cached for five minutes and revalidated by ETag, so a new snippet reaches every page quickly.
 */
snippetRoutes.get('/p.js', (c) => {
  const pinned = c.req.query('v') === SNIPPET_VERSION;
  c.header('Content-Type', 'application/javascript; charset=utf-8');
  c.header('Cache-Control', pinned ? 'public, max-age=31536000, immutable' : 'public, max-age=300, stale-while-revalidate=86400');
  c.header('ETag', etag);
  c.header('X-Snippet-Version', SNIPPET_VERSION);
  c.header('Access-Control-Allow-Origin', '*'); // lets customers add integrity or crossorigin to the tag
  if (c.req.header('if-none-match') === etag) return c.body(null, 304);
  return c.body(SNIPPET);
});
