import { Account } from '../../shared/schemas';

const PAGE = 500;
const PARALLEL_READS = 50;

/**
 * One page of the accounts already in the edge's read copy (a site loaded with `wrangler kv bulk
 * put`, or the seeded demo), so the admin can take them over. Unreadable records are counted, not kept.
 */
export async function readKvAccounts(kv: KVNamespace, site: string, cursor: string | undefined) {
  const page = await kv.list({ prefix: `acct:${site}:`, cursor, limit: PAGE });
  const accounts: Account[] = [];
  let unreadable = 0;
  for (let i = 0; i < page.keys.length; i += PARALLEL_READS) {
    const texts = await Promise.all(page.keys.slice(i, i + PARALLEL_READS).map((k) => kv.get(k.name, 'text')));
    for (const text of texts) {
      const parsed = text === null ? null : Account.safeParse(safeJson(text));
      if (parsed?.success) accounts.push(parsed.data);
      else unreadable++;
    }
  }
  return { accounts, unreadable, cursor: page.list_complete ? null : page.cursor };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
