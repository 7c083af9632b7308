/**
 * The compact form of a set of ASNs in networks-data.ts: sorted, each written as its difference from the one
 * before (the first from 0) in base 36, comma-separated. Neighbouring ASNs are mostly close, so most take
 * 1–3 characters; a JSON array of numbers would be about twice the size and no faster to read.
 */
export function encodeAsns(asns: Iterable<number>): string {
  const sorted = [...new Set(asns)].sort((a, b) => a - b);
  if (sorted.some((asn) => !Number.isSafeInteger(asn) || asn <= 0)) throw new Error('ASNs are positive integers');
  return sorted.map((asn, i) => (asn - (i ? sorted[i - 1]! : 0)).toString(36)).join(',');
}

/** The ASNs of encodeAsns, ascending. */
export function decodeAsns(encoded: string): number[] {
  const asns: number[] = [];
  if (!encoded) return asns;
  let asn = 0;
  for (const delta of encoded.split(',')) asns.push((asn += parseInt(delta, 36)));
  return asns;
}
