import type { Context } from 'hono';
import type { z } from 'zod';
import { jsonError, zodIssues } from './errors';
import { readBodyText } from './read-body';

export const MAX_BODY_BYTES = 16 * 1024;

/**
 * JSON.parse keeps a `"__proto__"` key as an own property, but any later `obj[key] = value` copy of it
 * (a zod record, a merge) sets a prototype or silently drops the key: no body may carry one, at any
 * depth. Walked without recursion, so a body nested 100,000 deep is judged like any other.
 */
export function hasProtoKey(root: unknown): boolean {
  const stack = [root];
  while (stack.length) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Object.hasOwn(value, '__proto__')) return true;
    for (const child of Object.values(value)) if (child !== null && typeof child === 'object') stack.push(child);
  }
  return false;
}

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
  // the key can only be there spelled out or behind a \u escape: other bodies skip the walk
  if ((body.text.includes('__proto__') || body.text.includes('\\u')) && hasProtoKey(json))
    return { ok: false, response: jsonError(c, 400, 'invalid request', [{ path: '(body)', message: 'the key "__proto__" is not allowed' }]) };
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, response: jsonError(c, 400, 'invalid request', zodIssues(parsed.error)) };
  return { ok: true, data: parsed.data };
}
