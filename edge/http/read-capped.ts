/** Reads a body stream whole unless it passes `maxBytes` (then cancels it and answers null): a request's, or a fetched response's. */
export async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * A fetched answer's JSON body, read within `maxBytes`: `{ body }` (undefined when empty or not JSON),
 * or null when the answer is larger (its stream cancelled).
 */
export async function readJsonCapped(res: Response, maxBytes: number): Promise<{ body: unknown } | null> {
  const bytes = res.body ? await readCapped(res.body, maxBytes) : new Uint8Array();
  if (!bytes) return null;
  try {
    return { body: bytes.length ? JSON.parse(new TextDecoder().decode(bytes)) : undefined };
  } catch {
    return { body: undefined };
  }
}
