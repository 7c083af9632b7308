import type { Context } from 'hono';
import type { z } from 'zod';
import { jsonError, zodIssues } from './errors';
import { readBodyText } from './read-body';

export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Reads a JSON body whatever its content type (the snippet sends text/plain to avoid a CORS
 * preflight), refusing bodies over the limit before reading them whole, and validates it.
 */
export async function readJson<S extends z.ZodType>(
  c: Context,
  schema: S,
  maxBytes = MAX_BODY_BYTES,
): Promise<{ ok: true; data: z.infer<S> } | { ok: false; response: Response }> {
  const body = await readBodyText(c, maxBytes, 'expected a JSON object');
  if (!body.ok) return body;
  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch {
    return { ok: false, response: jsonError(c, 400, 'body is not valid JSON', [{ path: '(body)', message: 'body is not valid JSON' }]) };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, response: jsonError(c, 400, 'invalid request', zodIssues(parsed.error)) };
  return { ok: true, data: parsed.data };
}
