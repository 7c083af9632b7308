/** An account as the strings of its form, and back (lists one per line, attributes as key=value lines). */
import type { Account } from '../../shared/schemas';

export const TEXT_FIELDS = ['name', 'industry', 'subIndustry', 'revenueBand', 'country', 'region', 'fundingStage'] as const;
export const LIST_FIELDS = ['tech', 'orgNames', 'ipRanges'] as const;
type TextField = (typeof TEXT_FIELDS)[number];
type ListField = (typeof LIST_FIELDS)[number];

export const NUMBER_FIELDS = ['employees', 'tier', 'fitScore'] as const;
type NumberField = (typeof NUMBER_FIELDS)[number];

export type AccountDraft = Record<TextField | ListField | NumberField | 'domain' | 'stage' | 'attributes', string>;

export function toForm(a: Account | undefined): AccountDraft {
  const d = { domain: a?.domain ?? '', stage: a?.stage ?? '' } as AccountDraft;
  for (const f of NUMBER_FIELDS) d[f] = a?.[f] === undefined ? '' : String(a[f]);
  for (const f of TEXT_FIELDS) d[f] = a?.[f] ?? '';
  for (const f of LIST_FIELDS) d[f] = (a?.[f] ?? []).join('\n');
  d.attributes = Object.entries(a?.attributes ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
  return d;
}

const lines = (s: string) => s.split(/[\n;]/).map((l) => l.trim()).filter(Boolean);

/** The account the form describes, for the Account schema to judge (empty fields are left out). */
export function fromForm(d: AccountDraft): Record<string, unknown> {
  const a: Record<string, unknown> = { domain: d.domain.trim(), name: d.name.trim() };
  for (const f of TEXT_FIELDS) if (f !== 'name' && d[f].trim()) a[f] = d[f].trim();
  for (const f of LIST_FIELDS) if (lines(d[f]).length) a[f] = lines(d[f]);
  for (const f of NUMBER_FIELDS) if (d[f].trim()) a[f] = Number(d[f]);
  if (d.stage) a.stage = d.stage;
  const attributes: Record<string, string> = {};
  for (const line of d.attributes.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) attributes[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  if (Object.keys(attributes).length) a.attributes = attributes;
  return a;
}
