import { Account, IntentStage } from '../schemas';

/** HubSpot's standard company properties → account fields, when a site does not map its own. */
export const DEFAULT_HUBSPOT_MAPPING: Record<string, string> = {
  domain: 'domain',
  name: 'name',
  industry: 'industry',
  numberofemployees: 'employees',
  annualrevenue: 'attributes.annualRevenue',
  country: 'attributes.country',
  lifecyclestage: 'stage',
  hs_ideal_customer_profile: 'tier',
  hs_is_target_account: 'attributes.targetAccount',
};

/** HubSpot lifecycle stages → the account's stage (shared/schemas IntentStage). */
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
 * One HubSpot company (its `properties`, all strings or null as the API sends them) as an account,
 * through `mapping`; or what is wrong with it (no domain, a value the account schema refuses). Values
 * are converted: numbers for numeric fields and attributes that read as numbers, `true`/`false`,
 * lifecycle stages to the account's stages, `tier_1` → 1 for the ICP tier (the account's `tier`).
 */
export function companyToAccount(properties: Record<string, unknown>, mapping: Record<string, string>): { account: Account } | { problems: RecordProblem[] } {
  const draft: Record<string, unknown> = {};
  const attributes: Record<string, string | number | boolean> = {};
  for (const [property, target] of Object.entries(mapping)) {
    const raw = properties[property];
    if (raw === null || raw === undefined || raw === '') continue;
    const text = String(raw).trim();
    if (target.startsWith('attributes.')) {
      attributes[target.slice('attributes.'.length)] = attributeValue(property, text);
    } else if (NUMBER_TARGETS.has(target)) {
      const n = Number(text);
      draft[target] = Number.isFinite(n) ? Math.round(n) : text;
    } else if (target === 'tier') {
      // HubSpot's ICP tier: tier_1, tier_2, tier_3
      const tier = /^(?:tier_)?(\d)$/.exec(text.toLowerCase());
      draft.tier = tier ? Number(tier[1]) : text;
    } else if (target === 'stage') {
      draft.stage = STAGES[text.toLowerCase()] ?? text.toLowerCase();
    } else if (target === 'domain') {
      draft.domain = text.toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/.*$/, '');
    } else {
      draft[target] = text;
    }
  }
  if (Object.keys(attributes).length) draft.attributes = attributes;
  if (!draft.domain) return { problems: [{ field: 'domain', message: 'the company has no domain (mapped from ' + (Object.entries(mapping).find(([, t]) => t === 'domain')?.[0] ?? 'nothing') + ')' }] };
  if (!draft.name) draft.name = draft.domain;
  const parsed = Account.safeParse(draft);
  if (parsed.success) return { account: parsed.data };
  return { problems: parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(record)', message: i.message })) };
}

function attributeValue(property: string, text: string): string | number | boolean {
  if (property === 'hs_ideal_customer_profile') {
    const tier = /^tier_(\d)$/.exec(text);
    if (tier) return Number(tier[1]);
  }
  if (text === 'true' || text === 'false') return text === 'true';
  const n = Number(text);
  return text !== '' && Number.isFinite(n) && /^-?\d+(\.\d+)?$/.test(text) ? n : text.slice(0, 500);
}
