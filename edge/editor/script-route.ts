import { Hono } from 'hono';
import { EDITOR_JS, EDITOR_VERSION } from '../../build/editor';
import type { AppEnv } from '../env';

export const editorScriptRoutes = new Hono<AppEnv>();

const etag = `"${EDITOR_VERSION}"`;

/** The visual editor's bundle: the snippet loads it only on a page opened with `#pz_edit=`. */
editorScriptRoutes.get('/editor.js', (c) => {
  c.header('Content-Type', 'application/javascript; charset=utf-8');
  c.header('Cache-Control', 'public, max-age=300');
  c.header('ETag', etag);
  if (c.req.header('if-none-match') === etag) return c.body(null, 304);
  return c.body(EDITOR_JS);
});
