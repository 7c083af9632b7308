/**
 * Networks whose type is known by their number, winning over their name (shared/resolve/network-classify.ts):
 * the largest clouds, hosts, carriers and ISPs, most of whose names ("Amazon.com, Inc.", "Verizon Business",
 * "Orange S.A.") carry no keyword. Each number was checked against the organisation name in @ip-location-db/asn
 * (the operator is named in the comment). An ASN may appear under one type only (test/worker/networks.test.ts).
 * COMPANIES are businesses whose names hold a keyword: never classified (null).
 */
import type { NetworkType } from './networks';

const HOSTING = [
  16509, 14618, 8987, 9059, 7224, 62785, // Amazon (AWS)
  396982, 15169, 19527, 139070, 139190, // Google, Google Cloud
  8075, // Microsoft (Azure)
  13335, 209242, 132892, 395747, // Cloudflare (also WARP and iCloud Private Relay egress)
  20940, 16625, 32787, 36183, 21342, 12222, 34164, 33905, 35994, 24319, 213120, 55770, 17204, 393560, 26008, 31108,
  49846, 200005, 33047, 393234, 18717, 35204, 43639, 18680, 36029, 31984, // Akamai (36183: iCloud Private Relay)
  63949, 48337, // Linode (Akamai)
  54113, // Fastly
  14061, 393406, 46652, // DigitalOcean
  16276, 35540, // OVH
  24940, 213230, 212317, // Hetzner
  20473, // The Constant Company (Vultr, Choopa)
  31898, // Oracle Cloud
  45102, 37963, // Alibaba
  132203, 45090, // Tencent
  136907, // Huawei Cloud
  60781, 16265, 28753, 30633, 59253, 7203, // Leaseweb
  51167, // Contabo
  12876, // Scaleway
  9009, // M247
  60068, 212238, // Datacamp (CDN77)
  47583, // Hostinger
  26496, 398101, // GoDaddy
  22612, // Namecheap
  8560, 6724, // IONOS, Strato
  31034, // Aruba
  197540, // netcup
  199524, // G-Core Labs
  202053, // UpCloud
  49505, 9123, // Selectel, Timeweb
  40676, 8100, 46844, 53667, 35916, 29802, // Psychz, QuadraNet, Sharktech, FranTech (BuyVM), Multacom, Hivelocity
  18450, 32244, 46606, 25820, 11878, // WebNX, Liquid Web, Unified Layer, IT7, tzulo
  21859, 62240, 396356, // Zenlayer, Clouvider, Latitude.sh
  22616, 55256, // Zscaler, Netskope (cloud security proxies: the visitor's company is behind them, unnamed)
  39351, // 31173 Services (Mullvad VPN)
  132779, // RackBank Datacenters ("bank" would exclude it)
];

const MOBILE = [
  21928, // T-Mobile USA
  6167, 22394, // Verizon Wireless (Cellco)
  20057, // AT&T Mobility
  3209, 25135, 5378, 12430, 12357, 30722, 33915, 15502, 12353, 3329, 15897, // Vodafone (DE, UK, ES, IT, NL, IE, PT, GR, TR)
  21497, // VF Ukraine
  55410, 38266, 45271, // Vodafone Idea
  35228, 29180, 6805, // Telefonica UK (O2), Telefonica Germany (O2)
  206067, 60339, 25255, 13280, 44034, // Three (UK, AT, IE, SE)
  1267, 24608, // Wind Tre
  47377, // Orange Belgium
  55836, 45609, // Reliance Jio, Bharti Airtel
  9808, 9605, 9644, // China Mobile, NTT Docomo, SK Telecom
  28403, 26611, 26615, // Telcel (RadioMovil Dipsa), Comcel, TIM Brasil
  16135, 31213, 16345, 8359, // Turkcell, MegaFon, Beeline, MTS
  23693, 24203, 12400, // Telkomsel, XL Axiata, Partner (Israel)
];

const ISP = [
  7922, 7015, 7016, 7725, 13367, 33491, // Comcast
  20115, 7843, 10796, 11351, 11426, 11427, 12271, 20001, 33363, // Charter (Spectrum)
  7018, 2686, // AT&T
  701, // Verizon
  22773, // Cox
  209, 3356, // Lumen (CenturyLink, Level 3)
  5650, 7029, 30036, 6128, 19108, 12083, 6079, // Frontier, Windstream, Mediacom, Optimum, Suddenlink, WOW, RCN
  812, 577, 6327, 5769, 852, // Rogers, Bell, Shaw, Videotron, Telus
  3320, 2856, 5089, 5607, 13285, 8586, // Deutsche Telekom, BT, Virgin Media, Sky, TalkTalk
  3215, 5511, 5617, 12479, // Orange (FR, PL, ES)
  3352, 12956, // Telefonica
  12322, 15557, 21502, 5410, // Free, SFR, Bouygues
  31334, 6830, 6848, 8881, // Vodafone Kabel Deutschland, Liberty Global, Telenet, 1&1 Versatel
  3303, 5432, 1136, 3301, 1759, 2119, 9158, 3292, 1257, // Swisscom, Proximus, KPN, Telia, Telenor, TDC, Tele2
  3269, 12874, 3243, 2860, 8708, // Telecom Italia, Fastweb, MEO, NOS, Digi Romania
  12389, 9121, 12735, 34984, // Rostelecom, Turk Telekom, TurkNet, Superonline
  8551, 1680, 35805, // Bezeq International, Cellcom, Silknet
  1221, 4804, 7474, 7545, // Telstra, Optus, TPG
  4134, 4837, 4766, 9318, 3462, // Chinanet, China Unicom, KT, SK Broadband, Chunghwa
  4713, 2516, 17676, 2497, // NTT OCN, KDDI, SoftBank, IIJ
  9829, 24560, 18101, 4788, 9299, 4775, 132199, // BSNL, Airtel, Reliance Communications, TM, PLDT, Globe
  7552, 45899, 4657, 9304, 4760, // Viettel, VNPT, StarHub, HGC, PCCW
  8452, 37457, 36947, // TE Data, Telkom SA, Algerie Telecom
  8151, 28548, 13999, 10620, 14080, // Telmex (Uninet), Cablevision Mexico, Megacable, Telmex Colombia
  18881, 26599, 27699, 7738, 4230, // Telefonica Brasil (Vivo), V tal (Oi), Claro
  7418, 22927, 7303, 22047, 27651, // Telefonica Chile, Telefonica de Argentina, Telecom Argentina, VTR, Entel
  // transit carriers: Cogent, Hurricane Electric, Arelion, NTT, GTT, Tata, Sparkle, Zayo, PCCW Global, Telstra International
  174, 6939, 1299, 2914, 3257, 6453, 6762, 6461, 3491, 4637,
];

const COMPANIES = [
  198538, // Sony Mobile Communications AB
  134573, // Shopee Mobile Sdn Bhd
  400966, // CloudQuant, LLC (a trading firm)
];

function curated(): Map<number, NetworkType | null> {
  const map = new Map<number, NetworkType | null>();
  for (const [type, asns] of [['hosting', HOSTING], ['mobile', MOBILE], ['isp', ISP], [null, COMPANIES]] as const) {
    for (const asn of asns) {
      if (map.has(asn)) throw new Error(`AS${asn} is curated twice`);
      map.set(asn, type);
    }
  }
  return map;
}

export const CURATED_NETWORKS: ReadonlyMap<number, NetworkType | null> = curated();
