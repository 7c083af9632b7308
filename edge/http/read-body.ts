import type { Context } from 'hono';
import { jsonError } from './errors';
import { readCapped } from './read-capped';

export type BodyRead = { ok: true; text: string } | { ok: false; response: Response };

/**
 * Reads a request body as UTF-8 text, refusing one over `maxBytes` before reading it whole (by its
 * declared length, else while streaming) and refusing invalid UTF-8.
 */
export async function readBodyText(c: Context, maxBytes: number, expected = 'expected a body'): Promise<BodyRead> {
  const tooLarge = () => ({ ok: false as const, response: jsonError(c, 413, `body larger than ${maxBytes} bytes`, [{ path: '(body)', message: `must be at most ${maxBytes} bytes` }]) });
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > maxBytes) return tooLarge();
  const body = c.req.raw.body;
  if (!body) return { ok: false, response: jsonError(c, 400, 'missing body', [{ path: '(body)', message: expected }]) };

  const bytes = await readCapped(body, maxBytes);
  if (!bytes) return tooLarge();
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { ok: false, response: jsonError(c, 400, 'body is not valid UTF-8', [{ path: '(body)', message: 'body is not valid UTF-8' }]) };
  }
}
