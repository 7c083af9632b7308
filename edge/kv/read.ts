/** KV reads that give up rather than hang: a slow or failing store must never slow the page. */
export const KV_READ_BUDGET_MS = 300;

export class StoreUnavailable extends Error {}

export async function readText(kv: KVNamespace, key: string, budgetMs = KV_READ_BUDGET_MS): Promise<string | null> {
  let timer = 0;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailable(`KV read of ${key} took over ${budgetMs} ms`)), budgetMs);
  });
  try {
    return await Promise.race([kv.get(key, 'text'), timeout]);
  } catch (err) {
    throw err instanceof StoreUnavailable ? err : new StoreUnavailable(`KV read of ${key} failed: ${String(err)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** Parses a stored JSON value; a corrupt record reads as absent (and is logged) so it cannot break other decisions. */
export function parseStored<T>(key: string, text: string | null, parse: (v: unknown) => { success: true; data: T } | { success: false }): T | null {
  if (text === null) return null;
  try {
    const result = parse(JSON.parse(text));
    if (result.success) return result.data;
  } catch {
    // fall through
  }
  console.warn(`ignoring corrupt KV record ${key}`);
  return null;
}
