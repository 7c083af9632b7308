/**
 * Whether a visitor's network (`request.cf.asn`) is a consumer ISP, a mobile carrier or a hosting/cloud/VPN
 * network, whose name (`request.cf.asOrganization`) is then never the visitor's company. Unknown networks are
 * undefined: not gated. The list is generated from public data (networks-data.ts, NETWORKS-LICENSE.md); the
 * rules that built it are in network-classify.ts.
 */
import { decodeAsns } from './network-codec';
import { NETWORKS } from './networks-data';

export type NetworkType = 'isp' | 'mobile' | 'hosting';
export const NETWORK_TYPES: readonly NetworkType[] = ['isp', 'mobile', 'hosting'];

let table: Map<number, NetworkType> | undefined;

/** ASN → type for every network in `data` (networks-data.ts). */
export function decodeNetworks(data: Readonly<Record<NetworkType, string>> = NETWORKS): Map<number, NetworkType> {
  const map = new Map<number, NetworkType>();
  for (const type of NETWORK_TYPES) for (const asn of decodeAsns(data[type])) map.set(asn, type);
  return map;
}

/** Every classified ASN, decoded on first use (a few milliseconds) and kept for the isolate's life. */
export function networkTable(): ReadonlyMap<number, NetworkType> {
  return (table ??= decodeNetworks());
}

/** The type of the network numbered `asn`, or undefined when it is not a known ISP, carrier or host. */
export function networkType(asn: number | undefined | null): NetworkType | undefined {
  if (typeof asn !== 'number' || !Number.isSafeInteger(asn) || asn <= 0) return undefined;
  return networkTable().get(asn);
}
