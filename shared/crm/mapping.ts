import { Account, type IntentStage } from '../schemas';

/** HubSpot lifecycle stages → the account's stage (shared/schemas IntentStage); other CRMs' values pass as written. */
const STAGES: Record<string, IntentStage> = {
  subscriber: 'aware',
  lead: 'aware',
  marketingqualifiedlead: 'evaluating',
  salesqualifiedlead: 'evaluating',
  opportunity: 'committed',
  customer: 'customer',
  evangelist: 'customer',
};

const NUMBER_TARGETS = new Set(['employees', 'fitScore']);

export interface RecordProblem {
  field: string;
  message: string;
}

/**
 * One CRM record (a HubSpot company's `properties`, all strings or null as that API sends them; a
 * Salesforce account's fields: strings, numbers, booleans or null) as an account, through `mapping`
 * (CRM field → account field); or what is wrong with it (no domain, a value the account schema
 * refuses). Values are converted: numbers for numeric fields and attributes that read as numbers,
 * `true`/`false`, HubSpot lifecycle stages to the account's stages, `tier_1` → 1 for an ICP tier, a
 * website URL (`https://www.acme.com/`) to its domain.
 */
export function recordToAccount(fields: Record<string, unknown>, mapping: Record<string, string>): { account: Account } | { problems: RecordProblem[] } {
  const draft: Record<string, unknown> = {};
  const attributes: Record<string, string | number | boolean> = {};
  for (const [field, target] of Object.entries(mapping)) {
    const raw = fields[field];
    if (raw === null || raw === undefined || raw === '' || typeof raw === 'object') continue;
    const text = String(raw).trim();
    if (target.startsWith('attributes.')) {
      attributes[target.slice('attributes.'.length)] = attributeValue(text);
    } else if (NUMBER_TARGETS.has(target)) {
      const n = Number(text);
      draft[target] = Number.isFinite(n) ? Math.round(n) : text;
    } else if (target === 'tier') {
      // HubSpot's ICP tier: tier_1, tier_2, tier_3 (a custom field may say "1" or "Tier 1")
      const tier = /^(?:tier[_ ]?)?(\d)$/.exec(text.toLowerCase());
      draft.tier = tier ? Number(tier[1]) : text;
    } else if (target === 'stage') {
      draft.stage = STAGES[text.toLowerCase()] ?? text.toLowerCase();
    } else if (target === 'domain') {
      draft.domain = text.toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/[/?#:].*$/, '');
    } else {
      draft[target] = text;
    }
  }
  if (Object.keys(attributes).length) draft.attributes = attributes;
  if (!draft.domain) return { problems: [{ field: 'domain', message: `the record has no domain (mapped from ${Object.entries(mapping).find(([, t]) => t === 'domain')?.[0] ?? 'nothing'})` }] };
  if (!draft.name) draft.name = draft.domain;
  const parsed = Account.safeParse(draft);
  if (parsed.success) return { account: parsed.data };
  return { problems: parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(record)', message: i.message })) };
}

function attributeValue(text: string): string | number | boolean {
  const tier = /^tier_(\d)$/.exec(text);
  if (tier) return Number(tier[1]);
  if (text === 'true' || text === 'false') return text === 'true';
  const n = Number(text);
  return text !== '' && Number.isFinite(n) && /^-?\d+(\.\d+)?$/.test(text) ? n : text.slice(0, 500);
}
