/**
 * Classifies a network (an autonomous system) by its organisation's name into a consumer/telco ISP, a mobile
 * carrier or a hosting/cloud/VPN network, so the edge never takes such a network's name for the visitor's
 * company. Used by scripts/refresh-networks.mjs to build networks-data.ts; the Worker only reads that data.
 *
 * The rules, in order:
 * 1. A curated ASN (network-curated.ts) has its curated type, whatever its name says; a few companies whose names
 *    hold a keyword ("Sony Mobile Communications") are curated as never classified.
 * 2. The name is normalised: a leading all-caps AS handle ("MUSA-COLO-01 - Murphy Oil USA") is dropped, camelCase
 *    is split ("HostPapa" → "Host Papa", "DigitalOcean"), accents are stripped, it is lower-cased and every run of
 *    other characters becomes one space.
 * 3. A name naming an institution (EXCLUDED: university, school, bank, hospital, research…) is left unclassified:
 *    its own network, not a provider's, even when it says "cloud" or "telecommunications".
 * 4. Keywords match whole words only ("Hostess Brands" is not hosting, "Exxon Mobil" not mobile), hosting first,
 *    then mobile, then ISP: "China Telecom IDC" is hosting, "Singapore Telecom Mobile" mobile. The mobile words
 *    do not count beside product words (software, security, technology, solutions, apps, health…).
 * Anything else is unclassified (undefined): an unknown network is never gated. Words too broad to tell a provider
 * from a company ("internet", "network", "communications", "mobility", "technology") are deliberately not keywords.
 */
import { CURATED_NETWORKS } from './network-curated';
import type { NetworkType } from './networks';

const words = (alternatives: string): RegExp => new RegExp(`\\b(?:${alternatives})\\b`);

/** Whole-word patterns over the normalised name, checked in this order; a rule is skipped when its `unless` matches. */
export const KEYWORDS: readonly (readonly [NetworkType, RegExp, RegExp?])[] = [
  [
    'hosting',
    words(
      [
        'host(?:s|ing|ed)?', 'web ?host(?:s|ing)?', 'hospedagem', 'hebergement', 'clouds?', 'data ?cent(?:er|re)s?',
        'rechenzentrum', 'servers?', 'vps', 'vds', 'colo(?:cation)?', 'co location', 'cdn', 'vpn', 'prox(?:y|ies)', 'idc',
        'web services',
      ].join('|'),
    ),
  ],
  [
    'mobile',
    words(['mobile', 'mobilfunk', 'wireless', 'cellular', 'gsm', 'umts', 'lte', '[345]g', 'movil(?:es)?', 'movel'].join('|')),
    // "mobile" also names what app, device and health companies make: "Lenovo Mobile Communication Technology",
    // "Giesecke+Devrient Mobile Security", "MedStar Mobile Healthcare" are not carriers
    words(
      [
        'software', 'security', 'technolog[a-z]*', 'solutions?', 'apps?', 'games?', 'gaming', 'health[a-z]*', 'medical', 'care',
        'marketing', 'payments?', 'card', 'vending', 'synchronization', 'ventures',
      ].join('|'),
    ),
  ],
  [
    'isp',
    words(
      [
        'tele[ck]om[a-z]*', 'telco', 'telefon(?:s|os|ica|icos|ia)?', 'telephone', 'telephony', 'broadband', 'banda ancha',
        'banda larga', 'cable', 'cablevision', 'catv', 'kabel', 'fib(?:er|re|ra)', 'ftth', '[avx]?dsl', 'w?isp', 'internet services?',
        'internet (?:service )?provider', 'internet access', 'provedor', 'proveedor',
      ].join('|'),
    ),
  ],
];

/** An institution's own network, whatever else its name says; plus place names that contain a keyword. */
export const EXCLUDED = words(
  [
    'universit(?:y|ies|e|at|a|aet)', 'universidad(?:e)?', 'college', 'schools?', 'academy', 'institut(?:e|o)?', 'research',
    'laborator(?:y|ies)', 'hospital', 'bank', 'securities', 'insurance', 'ministry', 'government', 'st cloud', 'saint cloud',
  ].join('|'),
);

/** The name as the keywords see it (rule 2). */
export function normalizeNetworkName(name: string): string {
  return name
    .replace(/^[A-Z0-9][A-Z0-9_.-]*\s+-\s+(?=\S)/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The type of a network by its name alone (rules 2–4). */
export function classifyName(name: string): NetworkType | undefined {
  const text = normalizeNetworkName(name);
  if (!text || EXCLUDED.test(text)) return undefined;
  return KEYWORDS.find(([, pattern, unless]) => pattern.test(text) && !unless?.test(text))?.[0];
}

/** The type of a network: curated by ASN first (null: a company, never classified), else by its organisation's name. */
export function classifyNetwork(asn: number, name: string): NetworkType | undefined {
  const curated = CURATED_NETWORKS.get(asn);
  return curated === undefined ? classifyName(name) : (curated ?? undefined);
}
