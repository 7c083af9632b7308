/**
 * Account files read in the browser: CSV (shared/csv.ts, the edge's own parser and column
 * rules) or JSON, numbered like a spreadsheet, and cut into the chunks of at most 500 rows the import
 * API takes. A chunk is a run of consecutive rows (its `firstRow` numbers them in the report).
 */
import { parseCsv } from '../../shared/csv';
import { readHeader, rowToAccount } from '../../shared/admin/account-csv';
import type { ImportRow } from '../../shared/admin/import-rows';
import { validateImportRows } from '../../shared/admin/import-rows';
import type { ImportRejection } from '../../shared/schemas';

export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const CHUNK_ROWS = 500;

export type Prepared = { ok: true; rows: ImportRow[]; rejected: ImportRejection[] } | { ok: false; message: string };

/** Header is row 1, so the first account is row 2, as a spreadsheet shows it. */
export function prepareCsv(text: string): Prepared {
  const parsed = parseCsv(text);
  if (!parsed.ok) return { ok: false, message: parsed.reason };
  const [header, ...records] = parsed.records;
  if (!header) return { ok: false, message: 'The file is empty.' };
  const head = readHeader(header);
  if (!head.ok) return { ok: false, message: `The header is not usable: ${head.reason}.` };
  const rows: ImportRow[] = [];
  const rejected: ImportRejection[] = [];
  records.forEach((cells, i) => {
    const row = i + 2;
    if (cells.length > header.length) rejected.push({ row, field: '(row)', reason: `has ${cells.length} cells but the header has ${header.length}` });
    else rows.push({ row, value: rowToAccount(head.columns, cells) });
  });
  return { ok: true, rows, rejected };
}

/** A JSON array of accounts (or `{ "accounts": [...] }`); the first element is row 1. */
export function prepareJson(text: string): Prepared {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `The file is not valid JSON (${err instanceof Error ? err.message : 'parse error'}).` };
  }
  const list = Array.isArray(json) ? json : json && typeof json === 'object' && Array.isArray((json as { accounts?: unknown }).accounts) ? (json as { accounts: unknown[] }).accounts : null;
  if (!list) return { ok: false, message: 'Expected a JSON array of accounts, or an object with an "accounts" array.' };
  return { ok: true, rows: list.map((value, i) => ({ row: i + 1, value })), rejected: [] };
}

export interface Chunk {
  firstRow: number;
  rows: unknown[];
}

/**
 * Consecutive rows, at most CHUNK_ROWS a chunk. The edge rejects a domain repeated inside one
 * request; a domain repeated in a later chunk would silently update the earlier row, so it is
 * rejected here the same way ("duplicate of row N") and left out, which starts a new chunk.
 */
export function chunk(rows: readonly ImportRow[]): { chunks: Chunk[]; rejected: ImportRejection[] } {
  const chunks: Chunk[] = [];
  const rejected: ImportRejection[] = [];
  const earlier = new Map<string, number>(); // domains of valid rows in finished chunks
  let current: Chunk | null = null;
  let inChunk = new Map<string, number>();
  let nextRow = -1;
  const finish = () => {
    if (current) chunks.push(current);
    for (const [d, r] of inChunk) if (!earlier.has(d)) earlier.set(d, r);
    current = null;
    inChunk = new Map();
  };
  for (const r of rows) {
    const domain = validateImportRows([r]).valid[0]?.account.domain;
    const first = domain === undefined ? undefined : earlier.get(domain);
    if (first !== undefined) {
      rejected.push({ row: r.row, field: 'domain', reason: `duplicate of row ${first}` });
      continue;
    }
    if (!current || r.row !== nextRow || current.rows.length >= CHUNK_ROWS) {
      finish();
      current = { firstRow: r.row, rows: [] };
    }
    current.rows.push(r.value);
    nextRow = r.row + 1;
    if (domain !== undefined && !inChunk.has(domain)) inChunk.set(domain, r.row);
  }
  finish();
  return { chunks, rejected };
}

/** Whether a file (or pasted text, with no name) is JSON rather than CSV: by its name, its type or its first character. */
export const looksLikeJson = (text: string, name = '', type = '') => /\.json$/i.test(name) || type === 'application/json' || /^\s*[[{]/.test(text.slice(0, 100));

/** What the import says of a file over `max` bytes, before reading it. */
export const tooBig = (size: number, max: number) => `This file is ${formatBytes(size)}; files over ${formatBytes(max)} are refused. Split it into smaller files and import each.`;

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} B`;
}
