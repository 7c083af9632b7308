// Builds shared/resolve/networks-data.ts (and NETWORKS-LICENSE.md beside it): the ASNs of consumer ISPs and telcos,
// mobile carriers and hosting/cloud/CDN/VPN networks, whose names the edge must never take for a visitor's company.
// `node scripts/refresh-networks.mjs` (Node 22: `npx node …` picks the project's). Needs only the npm registry.
//
// Source: @ip-location-db/asn (RouteViews + the five RIRs via NRO + DB-IP IP to ASN Lite, CC BY 4.0), fetched with
// `npm pack` at the version and integrity pinned below (18 MB, so never a dependency) into a temporary folder, then
// asn-ipv4.csv and asn-ipv6.csv (first ip, last ip, asn, organisation) give each ASN its organisation name (the
// name on the most rows, should an ASN have several). To refresh, set VERSION and INTEGRITY
// (`npm view @ip-location-db/asn@VERSION dist.integrity`), run this and commit both files.
//
// Rules (shared/resolve/network-classify.ts, with the curated numbers in network-curated.ts; tested in
// test/worker/networks.test.ts):
// 1. Curated ASNs win: AWS, Google Cloud, Azure, Cloudflare, Akamai, OVH, Hetzner… are hosting; T-Mobile US, Verizon
//    Wireless, AT&T Mobility, Vodafone… mobile; Comcast, Charter, AT&T, Verizon, Lumen, Deutsche Telekom, BT, Orange…
//    and the big transit carriers isp; a few companies whose names hold a keyword (Sony Mobile Communications) are
//    never classified. Curated networks are written out even if the data lacks them.
// 2. The name is normalised: a leading all-caps AS handle ("MUSA-COLO-01 - ...") dropped, camelCase split
//    ("HostPapa" → "Host Papa"), accents stripped, lower case, punctuation to spaces.
// 3. Names of institutions (university, college, school, institute, research, laboratory, hospital, bank, securities,
//    insurance, ministry, government; and the place "St. Cloud") stay unclassified.
// 4. Whole-word, case-insensitive keywords, hosting before mobile before isp:
//    hosting: host(s/ing/ed), webhost(ing), hospedagem, hebergement, cloud(s), data center/centre(s), datacenter,
//             rechenzentrum, server(s), vps, vds, colo, colocation, cdn, vpn, proxy/proxies, idc, web services;
//    mobile:  mobile, mobilfunk, wireless, cellular, gsm, umts, lte, 3g/4g/5g, movil(es), movel — unless the name
//             also says software, security, technology, solutions, apps, games, health, medical, care, marketing,
//             payments, card, vending, synchronization or ventures (app, device and health companies);
//    isp:     telecom…/telekom… (telecommunications, telekomunikasi, telecomunicacoes…), telco, telefon(s/os/ica/ia),
//             telephone, telephony, broadband, banda ancha, banda larga, cable, cablevision, catv, kabel,
//             fiber/fibre/fibra, ftth, dsl/adsl/vdsl/xdsl, isp/wisp, internet service(s), internet (service) provider,
//             internet access, provedor, proveedor.
//    Whole words keep "Hostess Brands", "Exxon Mobil", "Telefonbuch Verlag", "May Mobility" out; too-broad words
//    (internet, net, network, communications, mobility, technology) are not keywords.
// 5. Everything else is left out: an unknown network is not gated.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importTs, root } from './lib.mjs';

const PACKAGE = '@ip-location-db/asn';
const VERSION = '2.3.2026061719';
const INTEGRITY = 'sha512-PpqYi7wyEyWwunXBtl+y3Vi403SvNywotWwvmiYCOUtE0SVol/Sf492Ee+eErEznmGapxEQB2SAfrpXuZ9a+vQ==';
const TYPES = ['isp', 'mobile', 'hosting'];
const LICENCE_FILES = ['ROUTEVIEWS-LICENSE', 'NRO_LICENSE', 'DBIP-LICENSE', 'MODIFICATIONS'];

const [{ classifyNetwork }, { CURATED_NETWORKS }, { encodeAsns, decodeAsns }] = await Promise.all([
  importTs('shared/resolve/network-classify.ts'),
  importTs('shared/resolve/network-curated.ts'),
  importTs('shared/resolve/network-codec.ts'),
]);

/** One CSV record's fields (RFC 4180 quoting: "a, b" and "" inside quotes). */
function csvFields(line) {
  const fields = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error(`unterminated quote: ${line}`);
        value += line.slice(i, q);
        i = q + 1;
        if (line[i] !== '"') break;
        value += '"';
        i++;
      }
      fields.push(value);
      i++; // the comma
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      fields.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}

function fetchPackage(dir) {
  execFileSync('npm', ['pack', `${PACKAGE}@${VERSION}`, '--pack-destination', dir, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tgz = join(dir, `ip-location-db-asn-${VERSION}.tgz`);
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tgz)).digest('base64')}`;
  if (integrity !== INTEGRITY) throw new Error(`${PACKAGE}@${VERSION} has integrity ${integrity}, pinned ${INTEGRITY}`);
  const files = ['asn-ipv4.csv', 'asn-ipv6.csv', ...LICENCE_FILES];
  execFileSync('tar', ['-xzf', tgz, '-C', dir, ...files.map((f) => `package/${f}`)]);
  return (file) => readFileSync(join(dir, 'package', file), 'utf8');
}

/** ASN → organisation name: the name on most rows of both files. */
function organisations(read) {
  const names = new Map();
  for (const file of ['asn-ipv4.csv', 'asn-ipv6.csv']) {
    for (const line of read(file).split(/\r?\n/)) {
      if (!line) continue;
      const [, , asnText, name = ''] = csvFields(line);
      const asn = Number(asnText);
      if (!Number.isSafeInteger(asn) || asn <= 0) throw new Error(`${file}: bad ASN in ${line}`);
      const counts = names.get(asn) ?? new Map();
      counts.set(name, (counts.get(name) ?? 0) + 1);
      names.set(asn, counts);
    }
  }
  const best = new Map();
  for (const [asn, counts] of names) best.set(asn, [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0]);
  return best;
}

function dataFile(byType, date) {
  const counts = Object.fromEntries(TYPES.map((t) => [t, byType[t].length]));
  const lines = [
    `// Generated by \`node scripts/refresh-networks.mjs\` from ${PACKAGE}@${VERSION}: do not edit. Change the rules in`,
    '// network-classify.ts or network-curated.ts and run it again. Data: RouteViews, NRO and DB-IP.com (CC BY 4.0),',
    '// classified by organisation name into isp/mobile/hosting: see NETWORKS-LICENSE.md. Each type is its ASNs',
    '// ascending, each written as its difference from the one before in base 36, comma-separated (network-codec.ts).',
    "import type { NetworkType } from './networks';",
    '',
    `export const NETWORKS_SOURCE = ${JSON.stringify({ package: PACKAGE, version: VERSION, generated: date, counts })} as const;`,
    '',
    'export const NETWORKS: Readonly<Record<NetworkType, string>> = {',
    ...TYPES.map((t) => `  ${t}: '${encodeAsns(byType[t])}',`),
    '};',
    '',
  ];
  return lines.join('\n');
}

function licenceFile(read, date) {
  const quote = (file) => ['```', read(file).trim(), '```'].join('\n');
  return `# Network list: sources and licence

<!-- Generated by scripts/refresh-networks.mjs with networks-data.ts: do not edit. -->

\`networks-data.ts\` (the list of ISP, mobile and hosting networks by ASN) is generated by \`node scripts/refresh-networks.mjs\`
on ${date} from the npm package [${PACKAGE}](https://www.npmjs.com/package/${PACKAGE}) version ${VERSION}
([ip-location-db](https://github.com/sapics/ip-location-db) by sapics), which combines:

- the IP to AS Number database by [Route Views](https://www.routeviews.org/routeviews/) (routeviews.org),
- the RIR statistics of the [Number Resource Organization](https://www.nro.net/) (nro.net): afrinic, apnic, arin, lacnic, ripe ncc,
- the IP to ASN Lite database by [DB-IP](https://db-ip.com) (db-ip.com), which gives most organisation names:
  <a href='https://db-ip.com'>IP Geolocation by DB-IP</a>.

All three are licensed under the [Creative Commons Attribution 4.0 International License](https://creativecommons.org/licenses/by/4.0/)
(CC BY 4.0). The data is provided as is, without warranties.

**Modified:** only the ASN and organisation-name columns are used. Each network was classified by its organisation name
(whole-word keywords) into isp/mobile/hosting, with a hand-curated list of ASNs winning over the name
(shared/resolve/network-classify.ts, network-curated.ts); unclassified networks, the IP ranges and the names themselves
are left out. The result is delta-encoded by ASN. A network's type here is our inference, not the sources' statement.

The package's own notices, verbatim:

${LICENCE_FILES.map((f) => `${f}:\n\n${quote(f)}`).join('\n\n')}
`;
}

const dir = mkdtempSync(join(tmpdir(), 'pz-networks-'));
try {
  const read = fetchPackage(dir);
  const names = organisations(read);
  const byType = Object.fromEntries(TYPES.map((t) => [t, []]));
  for (const [asn, name] of names) {
    const type = classifyNetwork(asn, name);
    if (type) byType[type].push(asn);
  }
  for (const [asn, type] of CURATED_NETWORKS) if (type && !names.has(asn)) byType[type].push(asn);
  const date = new Date().toISOString().slice(0, 10);
  const out = join(root, 'shared/resolve/networks-data.ts');
  const text = dataFile(byType, date);
  writeFileSync(out, text);
  writeFileSync(join(root, 'shared/resolve/NETWORKS-LICENSE.md'), licenceFile(read, date));
  for (const t of TYPES) {
    const back = decodeAsns(encodeAsns(byType[t]));
    if (back.length !== new Set(byType[t]).size) throw new Error(`${t}: the encoding does not round-trip`);
  }
  const counts = TYPES.map((t) => `${t} ${byType[t].length}`).join(', ');
  console.log(`${names.size} ASNs in ${PACKAGE}@${VERSION}; classified ${counts}; ${out} is ${statSync(out).size} bytes`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
