import { Hono } from 'hono';
import { EditorSaveRequest, type EditorDraft } from '../../shared/schemas';
import { MAX_JSON_BYTES, siteStore, staleWrite } from '../admin/common';
import { directory } from '../identity/directory';
import { jsonError } from '../http/errors';
import { allowPreflight } from '../http/origin';
import { limitPerClient } from '../http/rate-limit';
import { jsonBody } from '../http/validate';
import { forgetSite } from '../kv/cache';
import { editorAccess, type EditorEnv, siteForEditor } from './access';

/**
 * The visual editor's API, called from the customer's page (CORS for the site's allowed origins only),
 * authorised by the edit token alone. It reads and saves the draft; publishing stays in the admin.
 */
export const editorRoutes = new Hono<EditorEnv>();

editorRoutes.options('/v1/editor/draft', limitPerClient('editor'), async (c) => {
  const found = await siteForEditor(c);
  if (found instanceof Response) return found;
  const origin = c.req.header('origin');
  if (!origin) return jsonError(c, 403, 'preflight refused', [{ path: 'origin', message: 'a preflight needs an Origin header' }]);
  return allowPreflight(c, origin, 'GET, PUT', 'authorization, content-type', 600);
});

editorRoutes.get('/v1/editor/draft', limitPerClient('editor'), editorAccess, (c) => {
  const body: EditorDraft = { site: c.get('claims').site, user: c.get('claims').user, draft: c.get('state').draft };
  return c.json(body);
});

editorRoutes.put('/v1/editor/draft', limitPerClient('editor'), editorAccess, jsonBody(EditorSaveRequest, MAX_JSON_BYTES), async (c) => {
  const { site, user } = c.get('claims');
  const { site: bodySite, baseRevision, config } = c.req.valid('json');
  if (bodySite !== site) return jsonError(c, 400, 'invalid request', [{ path: 'site', message: `must be "${site}", the site of the edit token` }]);
  if (config.site !== site) return jsonError(c, 400, 'invalid request', [{ path: 'config.site', message: `must be "${site}", the site being edited` }]);
  const actor = `${user} (visual editor)`;
  const result = await siteStore(c.env, site).saveDraft(site, baseRevision, config, actor);
  if (result.status === 'invalid') return jsonError(c, 400, 'invalid request', result.issues);
  if (result.status === 'stale') return staleWrite(c, result.current);
  if (result.status === 'missing') return jsonError(c, 404, 'unknown site', [{ path: 'site', message: `no site "${site}"` }]);
  forgetSite(site);
  await directory(c.env)
    .record({ actor, site, action: 'PUT /editor/draft', detail: `saved revision ${result.state.draft.revision}` })
    .catch((err: unknown) => console.error('audit trail not written', err));
  const body: EditorDraft = { site, user, draft: result.state.draft };
  return c.json(body);
});
