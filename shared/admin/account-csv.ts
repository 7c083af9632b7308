import type { Account, ImportRejection } from '../schemas';
import { formatCsvRecord, parseCsv } from '../csv';
import type { ImportRow } from './import-rows';

/** The well-known columns, in export order. Any other column becomes an `attributes` entry. */
export const ACCOUNT_COLUMNS = [
  'domain', 'name', 'industry', 'subIndustry', 'employees', 'revenueBand', 'country', 'region', 'fundingStage',
  'tech', 'stage', 'orgNames', 'ipRanges', 'tier', 'fitScore',
] as const;
type Column = (typeof ACCOUNT_COLUMNS)[number];

const LIST_COLUMNS: ReadonlySet<string> = new Set<Column>(['tech', 'orgNames', 'ipRanges']);
/** `Sub Industry`, `sub_industry` and `subIndustry` all name the same column. */
const squash = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');
const KNOWN = new Map<string, Column>(ACCOUNT_COLUMNS.map((c) => [squash(c), c]));

/** What each position of a row means: a well-known field, or an attribute named by its header. */
export type ColumnMap = ({ field: Column } | { attribute: string })[];

export function readHeader(header: readonly string[]): { ok: true; columns: ColumnMap } | { ok: false; reason: string } {
  const columns: ColumnMap = header.map((h) => {
    const known = KNOWN.get(squash(h));
    return known ? { field: known } : { attribute: h.trim() };
  });
  const names = columns.map((c) => ('field' in c ? c.field : c.attribute));
  for (const required of ['domain', 'name'] as const)
    if (!names.includes(required)) return { ok: false, reason: `the header has no "${required}" column (found: ${header.slice(0, 20).join(', ')})` };
  // an attribute cannot be called that: assigning it would set the attributes object's prototype instead
  if (names.includes('__proto__')) return { ok: false, reason: 'the header names a column "__proto__", which is not allowed' };
  const repeated = names.find((n, i) => n !== '' && names.indexOf(n) !== i);
  if (repeated !== undefined) return { ok: false, reason: `the header names column "${repeated}" twice` };
  return { ok: true, columns };
}

const splitList = (cell: string) => cell.split(/[;|]/).map((v) => v.trim()).filter(Boolean);

/**
 * One CSV row as an account-shaped object, for the Account schema to judge: empty cells are left
 * out, lists split on `;` or `|`, and `employees` becomes a number when it reads as one (`4,200`
 * too), as do `fitScore` and `tier` (`2`, or a CRM's `Tier 2`, `tier_2`); anything else is passed
 * through as typed so validation names the field.
 */
export function rowToAccount(columns: ColumnMap, cells: readonly string[]): Record<string, unknown> {
  const account: Record<string, unknown> = {};
  const attributes: Record<string, string> = {};
  columns.forEach((column, i) => {
    const cell = unneutralise((cells[i] ?? '').trim());
    if (cell === '') return;
    if ('attribute' in column) {
      if (column.attribute !== '') attributes[column.attribute] = cell; // an unnamed column (a trailing comma) is noise
    } else if (LIST_COLUMNS.has(column.field)) account[column.field] = splitList(cell);
    else if (column.field === 'employees') account.employees = /^\d{1,3}([,_ ]?\d{3})*$/.test(cell) ? Number(cell.replace(/[,_ ]/g, '')) : cell;
    else if (column.field === 'fitScore') account.fitScore = /^\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;
    else if (column.field === 'tier') account.tier = /^(tier[ _-]?)?\d$/i.test(cell) ? Number(cell.slice(-1)) : cell;
    else account[column.field] = cell;
  });
  if (Object.keys(attributes).length) account.attributes = attributes;
  return account;
}

export type AccountCsv =
  | { ok: true; rows: ImportRow[]; rejected: ImportRejection[] }
  | { ok: false; field: string; reason: string };

/**
 * A whole CSV file as numbered rows: the header is row 1, so row numbers match a spreadsheet's
 * (counting records, not lines, when a quoted cell spans lines). A row with more cells than the
 * header is rejected: a stray comma has shifted its columns.
 */
export function readAccountCsv(text: string): AccountCsv {
  const parsed = parseCsv(text);
  if (!parsed.ok) return { ok: false, field: `row ${parsed.record}`, reason: parsed.reason };
  const [header, ...body] = parsed.records;
  if (!header) return { ok: false, field: 'header', reason: 'the file is empty' };
  const head = readHeader(header);
  if (!head.ok) return { ok: false, field: 'header', reason: head.reason };
  const rows: ImportRow[] = [];
  const rejected: ImportRejection[] = [];
  body.forEach((cells, i) => {
    const row = i + 2;
    if (cells.length > header.length) rejected.push({ row, field: '(row)', reason: `has ${cells.length} cells but the header has ${header.length}` });
    else rows.push({ row, value: rowToAccount(head.columns, cells) });
  });
  return { ok: true, rows, rejected };
}

/**
 * Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula
 * (CSV injection): the export puts such a cell behind a `'`, as OWASP advises, and the import takes one
 * `'` off a cell that has one before such a character, so export → import gives back what was exported
 * (a value that itself starts with `'=` goes out as `''=`).
 */
const FORMULA = /^'*[=+\-@\t\r]/;
export const neutralise = (cell: string): string => (FORMULA.test(cell) ? `'${cell}` : cell);
export const unneutralise = (cell: string): string => (cell.startsWith("'") && FORMULA.test(cell) ? cell.slice(1) : cell);

function accountCells(account: Account, attributeKeys: readonly string[]): string[] {
  const cell = (column: Column): string => {
    const value = account[column];
    return value === undefined ? '' : Array.isArray(value) ? value.join(';') : String(value);
  };
  return [...ACCOUNT_COLUMNS.map(cell), ...attributeKeys.map((k) => String(account.attributes?.[k] ?? ''))].map(neutralise);
}

/** The export header: the well-known columns, then one per attribute key. */
export function accountCsvHeader(attributeKeys: readonly string[]): string {
  return formatCsvRecord([...ACCOUNT_COLUMNS, ...attributeKeys]);
}

export function accountCsvRecord(account: Account, attributeKeys: readonly string[]): string {
  return formatCsvRecord(accountCells(account, attributeKeys));
}
