import type { Env, MiddlewareHandler } from 'hono';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import { Domain, VisitorId } from '../../shared/schemas';
import { jsonError } from './errors';
import { MAX_BODY_BYTES, readJson } from './read-json';

/**
 * Hono validation middleware for this Worker's inputs; handlers read the result with `c.req.valid(...)`.
 * Bad input is a 400 (413 for a body over the limit) naming the field and why, before the handler runs.
 */

/**
 * A JSON body whatever its content type: the snippet sends text/plain so that browsers skip the CORS
 * preflight, which Hono's own `validator('json')` would not read. Size-limited before it is read whole,
 * and `__proto__` keys are refused (edge/http/read-json.ts).
 */
export function jsonBody<S extends z.ZodType, E extends Env = Env, P extends string = string>(
  schema: S,
  maxBytes = MAX_BODY_BYTES,
): MiddlewareHandler<E, P, { in: { json: z.input<S> }; out: { json: z.output<S> } }> {
  return async (c, next) => {
    const parsed = await readJson(c, schema, maxBytes);
    if (!parsed.ok) return parsed.response;
    c.req.addValidatedData('json', parsed.data as object);
    await next();
  };
}

/** `:domain` in the path is a company domain (Hono has percent-decoded it); 400 naming `domain` otherwise. */
export const domainParam = validator('param', (params: Record<string, string>, c) => {
  const domain = Domain.safeParse(params.domain);
  if (!domain.success) return jsonError(c, 400, 'invalid request', [{ path: 'domain', message: domain.error.issues[0]!.message }]);
  return { domain: domain.data };
});

/** `:visitor` in the path is a snippet visitor id, as the public routes accept it; 400 naming `visitor` otherwise. */
export const visitorParam = validator('param', (params: Record<string, string>, c) => {
  const visitor = VisitorId.safeParse(params.visitor);
  if (!visitor.success) return jsonError(c, 400, 'invalid request', [{ path: 'visitor', message: visitor.error.issues[0]!.message }]);
  return { visitor: visitor.data };
});
