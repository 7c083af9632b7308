import { type ImportRejection, type IntentScore, IntentRow, topicKey } from '../schemas';
import { parseCsv } from '../csv';
import { WEEK_MS, mondayOf, weekOf } from '../rules/intent';
import { unneutralise } from './account-csv';
import type { ImportRow } from './import-rows';

/**
 * Intent files as vendors export them, and intent rows of the admin API, validated into scores per
 * account. Pure (the decision time of "in the future" is passed in), for the edge and any client.
 *
 * Two shapes, recognised by their header, case and spacing ignored: Bombora's Company Surge export
 * (`Company Name,Domain,…,Topic Name,Composite Score,…,Week`, or `Date`/`Report Date` for the week)
 * and the generic `domain,topic,score,date`.
 */

type IntentColumn = 'domain' | 'topic' | 'score' | 'date';
const squash = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');
const ALIASES: Record<IntentColumn, string[]> = {
  domain: ['domain', 'companydomain', 'website', 'companywebsite'],
  topic: ['topic', 'topicname', 'intenttopic'],
  score: ['score', 'compositescore', 'surgescore', 'topicscore', 'intentscore'],
  date: ['date', 'week', 'weekof', 'weekstart', 'weekstarting', 'weekstartdate', 'reportdate', 'datestamp'],
};
const COLUMN = new Map<string, IntentColumn>(Object.entries(ALIASES).flatMap(([column, names]) => names.map((n) => [n, column as IntentColumn])));
/** What else a vendor's export says about the company or the topic: read past without a word. */
const DESCRIPTIVE = new Set([
  'companyname', 'company', 'name', 'industry', 'size', 'companysize', 'employees', 'revenue', 'companyrevenue', 'hqcity', 'hqstate',
  'hqcountry', 'hqzip', 'hqpostalcode', 'city', 'state', 'country', 'zip', 'metroarea', 'topicid', 'topiccategory', 'category',
  'cluster', 'topiccluster', 'domainorigin', 'averagescore', 'topiccount', 'topiccountdelta',
]);

export type IntentCsv = { ok: true; rows: ImportRow[]; rejected: ImportRejection[] } | { ok: false; field: string; reason: string };

/**
 * A CSV file as numbered rows for validateIntentRows (the header is row 1). A column neither shape
 * has is reported on row 1 and ignored; a file without a domain, topic, score or date column is refused whole.
 */
export function readIntentCsv(text: string): IntentCsv {
  const parsed = parseCsv(text);
  if (!parsed.ok) return { ok: false, field: `row ${parsed.record}`, reason: parsed.reason };
  const [header, ...body] = parsed.records;
  if (!header) return { ok: false, field: 'header', reason: 'the file is empty' };
  const at: Partial<Record<IntentColumn, number>> = {};
  const rejected: ImportRejection[] = [];
  header.forEach((name, i) => {
    const column = COLUMN.get(squash(name));
    if (column && at[column] !== undefined) rejected.push({ row: 1, field: name, reason: `a second ${column} column: ignored` });
    else if (column) at[column] = i;
    else if (squash(name) !== '' && !DESCRIPTIVE.has(squash(name))) rejected.push({ row: 1, field: name, reason: 'not a column of an intent file: ignored' });
  });
  const missing = (Object.keys(ALIASES) as IntentColumn[]).filter((c) => at[c] === undefined);
  if (missing.length) return { ok: false, field: 'header', reason: `the header has no ${missing.join(', ')} column (found: ${header.slice(0, 20).join(', ')}); expected e.g. domain,topic,score,date` };
  const rows: ImportRow[] = [];
  body.forEach((cells, i) => {
    const row = i + 2;
    const cell = (c: IntentColumn) => unneutralise((cells[at[c]!] ?? '').trim());
    const score = cell('score');
    const date = cell('date');
    if (cells.length > header.length) rejected.push({ row, field: '(row)', reason: `has ${cells.length} cells but the header has ${header.length}` });
    else rows.push({ row, value: { domain: cell('domain'), topic: cell('topic'), score: /^\d+(\.\d+)?$/.test(score) ? Number(score) : score, ...(date && { date }) } });
  });
  return { ok: true, rows, rejected };
}

const ISO_DAY = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ].*)?$/;
const US_DAY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** The Monday of a date's week: `2026-03-04`, `2026-03-04T10:00:00Z` and `3/4/2026` (US order, month first) all give `2026-03-02`. */
export function weekOfDate(text: string): string | null {
  const iso = ISO_DAY.exec(text.trim());
  const us = iso ? null : US_DAY.exec(text.trim());
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1], us[2]] : [];
  if (y === undefined) return null;
  const t = Date.UTC(Number(y), Number(m) - 1, Number(d));
  const date = new Date(t);
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return null;
  return weekOf(t);
}

export interface IntentImport {
  row: number;
  domain: string;
  score: IntentScore;
}

/**
 * Validates rows (CSV's, or the API's `{ domain, topic, score, week | date }`) into scores. A row is
 * kept or reported whole, by row, field and reason. A week more than one week after `now`'s is a
 * mistake (a typo'd year would count as this week for years); the same domain, topic and week twice is
 * a duplicate of the first.
 */
export function validateIntentRows(rows: readonly ImportRow[], now: number) {
  const valid: IntentImport[] = [];
  const rejected: ImportRejection[] = [];
  const seen = new Map<string, number>();
  const latest = mondayOf(now) + WEEK_MS;
  for (const { row, value } of rows) {
    const parsed = IntentRow.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 3)) rejected.push({ row, field: issue.path.join('.') || '(row)', reason: issue.message });
      continue;
    }
    const { domain, topic, score, week: weekText, date } = parsed.data;
    const field = weekText !== undefined ? 'week' : 'date';
    const given = weekText ?? date;
    const week = given === undefined ? null : weekOfDate(given);
    if (week === null) {
      rejected.push({ row, field, reason: given === undefined ? 'is required: the week (its Monday) or a date in it' : `"${given}" is not a date such as 2026-03-02 or 3/2/2026` });
      continue;
    }
    if (weekText !== undefined && week !== weekText.trim()) {
      rejected.push({ row, field, reason: `must be the Monday of its week (UTC): ${week}` });
      continue;
    }
    if (Date.parse(`${week}T00:00:00Z`) > latest) {
      rejected.push({ row, field, reason: `the week of ${week} is in the future` });
      continue;
    }
    const key = `${domain} ${week} ${topicKey(topic)}`;
    const first = seen.get(key);
    if (first !== undefined) {
      rejected.push({ row, field: 'topic', reason: `duplicate of row ${first} (same domain, topic and week)` });
      continue;
    }
    seen.set(key, row);
    valid.push({ row, domain, score: { topic, score, week } });
  }
  return { valid, rejected };
}
