import type { IpAddress } from '../../shared/resolve/ip';

/** [first, prefix length] of the ranges no company sits behind: private, loopback, link-local, CGNAT, multicast, reserved. */
const NOT_PUBLIC_V4: [bigint, number][] = [
  [0x00000000n, 8], [0x0a000000n, 8], [0x64400000n, 10], [0x7f000000n, 8], [0xa9fe0000n, 16], [0xac100000n, 12],
  [0xc0000000n, 24], [0xc0000200n, 24], [0xc0a80000n, 16], [0xc6120000n, 15], [0xc6336400n, 24], [0xcb007100n, 24], [0xe0000000n, 3],
];
const NOT_PUBLIC_V6: [bigint, number][] = [
  [0n, 127], // :: and ::1
  [0xfc00n << 112n, 7], // unique local
  [0xfe80n << 112n, 10], // link-local
  [0xff00n << 112n, 8], // multicast
  [0x20010db8n << 96n, 32], // documentation
];

const inRange = (value: bigint, bits: number, [first, prefix]: [bigint, number]) => value >> BigInt(bits - prefix) === first >> BigInt(bits - prefix);

/**
 * What a company lookup for this address is asked and cached under: the IPv4 address itself, an IPv6
 * address's /64 (a household or office network hands its devices many addresses of one /64), or null
 * for an address no provider can know a company for (private, loopback, CGNAT, reserved…), which is
 * never sent. IPv4-mapped IPv6 arrives here as IPv4 (shared/resolve/ip.ts parseIp).
 */
export function lookupAddress(ip: IpAddress): { send: string; key: string } | null {
  if (ip.version === 4) {
    if (NOT_PUBLIC_V4.some((r) => inRange(ip.value, 32, r))) return null;
    const v = ip.value;
    const text = [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
    return { send: text, key: text };
  }
  if (NOT_PUBLIC_V6.some((r) => inRange(ip.value, 128, r))) return null;
  const groups = Array.from({ length: 8 }, (_, i) => ((ip.value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return { send: groups.join(':'), key: `${groups.slice(0, 4).join(':')}::/64` };
}
