import type { Context } from 'hono';
import type { z } from 'zod';
import { jsonError, zodIssues } from './errors';

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
  const tooLarge = () => ({ ok: false as const, response: jsonError(c, 413, `body larger than ${maxBytes} bytes`, [{ path: '(body)', message: `must be at most ${maxBytes} bytes` }]) });
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > maxBytes) return tooLarge();
  const body = c.req.raw.body;
  if (!body) return { ok: false, response: jsonError(c, 400, 'missing body', [{ path: '(body)', message: 'expected a JSON object' }]) };

  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch (err) {
    const reason = err instanceof TypeError ? 'body is not valid UTF-8' : 'body is not valid JSON';
    return { ok: false, response: jsonError(c, 400, reason, [{ path: '(body)', message: reason }]) };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, response: jsonError(c, 400, 'invalid request', zodIssues(parsed.error)) };
  return { ok: true, data: parsed.data };
}
