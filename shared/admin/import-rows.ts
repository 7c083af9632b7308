import { Account, type ImportRejection } from '../schemas';
import { ipRangeParts } from '../kv/entries';

/** A row to import and the number the report gives it. */
export interface ImportRow {
  row: number;
  value: unknown;
}

/**
 * Validates rows to import, the same way in the admin UI and on the edge. A row is imported whole
 * or not at all: a bad field or a bad IP range rejects it. A domain seen in an earlier valid row of
 * the same batch is rejected as a duplicate of that row (pass `seen` along to span several batches
 * of one file); a domain imported by an earlier request is simply updated.
 */
export function validateImportRows(rows: readonly ImportRow[], seen = new Map<string, number>()) {
  const valid: { row: number; account: Account }[] = [];
  const rejected: ImportRejection[] = [];
  for (const { row, value } of rows) {
    const parsed = Account.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 3)) rejected.push({ row, field: issue.path.join('.') || '(row)', reason: issue.message });
      continue;
    }
    const account = parsed.data;
    const badRanges = ipRangeParts(account).rejected;
    if (badRanges.length) {
      rejected.push(...badRanges.slice(0, 3).map((bad) => ({ row, ...bad })));
      continue;
    }
    const first = seen.get(account.domain);
    if (first !== undefined) {
      rejected.push({ row, field: 'domain', reason: `duplicate of row ${first}` });
      continue;
    }
    seen.set(account.domain, row);
    valid.push({ row, account });
  }
  return { valid, rejected };
}
