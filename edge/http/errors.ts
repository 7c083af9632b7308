import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { ErrorBody } from '../../shared/schemas';

export type Issue = { path: string; message: string };

export function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}

export function jsonError(c: Context, status: ContentfulStatusCode, error: string, issues?: Issue[]) {
  const body: ErrorBody = issues ? { error, issues } : { error };
  return c.json(body, status);
}
