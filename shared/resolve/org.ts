const LEGAL_SUFFIXES = new Set([
  'inc', 'incorporated', 'llc', 'ltd', 'limited', 'corp', 'corporation', 'co', 'company', 'gmbh', 'ag', 'sa', 'sas',
  'bv', 'nv', 'plc', 'pty', 'na', 'lp', 'llp', 'srl', 'spa', 'ab', 'as', 'oy', 'kk',
]);

/** "Northwind Bank, N.A." and "northwind bank" both become "northwind bank": the key of the org-name index. */
export function normalizeOrgName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\b([a-z])\.(?=[a-z]\.)/g, '$1') // n.a. → na.
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1]!)) words.pop();
  return words.join(' ').slice(0, 200);
}
