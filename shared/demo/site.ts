import { SiteConfig } from '../schemas';

export { demoAccounts } from './accounts';

/**
 * The seeded demo: "Lakehouse Cloud", a fictional B2B data-platform vendor. The demo page
 * (edge/demo/page.ts) renders every slot's `default`, and each segment rewrites the hero and proof.
 *
 * Segments overlap on purpose (a Snowflake-using bank that is evaluating matches three of them),
 * so `priority` (lower wins) decides. Holdout is 0 so that "view as" always shows the variant.
 */

// ── Logos ────────────────────────────────────────────────────────────────────
// SafeUrl allows no data: URLs, so the Worker serves these at /demo/logos/<file>.

const LOGOS: ReadonlyArray<{ file: string; name: string; color: string }> = [
  { file: 'halcyon-freight.svg', name: 'Halcyon Freight', color: '#0f766e' },
  { file: 'juniper-telecom.svg', name: 'Juniper Telecom', color: '#7c3aed' },
  { file: 'bluefin-insurance.svg', name: 'Bluefin Insurance', color: '#1d4ed8' },
  { file: 'larkspur-bank.svg', name: 'Larkspur Bank', color: '#334155' },
  { file: 'cobalt-outfitters.svg', name: 'Cobalt Outfitters', color: '#0369a1' },
  { file: 'redwater-robotics.svg', name: 'Redwater Robotics', color: '#b91c1c' },
  { file: 'pebblebrook.svg', name: 'Pebblebrook', color: '#15803d' },
  { file: 'brightkite.svg', name: 'Brightkite', color: '#c2410c' },
];

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function logoSvg(name: string, color: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="180" height="48" viewBox="0 0 180 48" role="img" aria-label="${xml(name)}">` +
    `<rect width="180" height="48" rx="10" fill="${color}"/>` +
    `<text x="90" y="30" text-anchor="middle" font-family="system-ui,-apple-system,'Segoe UI',Roboto,sans-serif" ` +
    `font-size="15" font-weight="700" fill="#ffffff">${xml(name)}</text></svg>`
  );
}

/** File name (e.g. `halcyon-freight.svg`) → SVG document, served at `/demo/logos/<file name>`. */
export const demoLogos: Record<string, string> = Object.fromEntries(LOGOS.map((l) => [l.file, logoSvg(l.name, l.color)]));

/** File name → company name, for `alt` text. */
export const demoLogoNames: Record<string, string> = Object.fromEntries(LOGOS.map((l) => [l.file, l.name]));

export const DEMO_LOGO_PATH = '/demo/logos/';
const logo = (file: string) => `${DEMO_LOGO_PATH}${file}`;

// ── Site config ──────────────────────────────────────────────────────────────

export const demoSite: SiteConfig = SiteConfig.parse({
  site: 'demo',
  name: 'Lakehouse Cloud (demo)',
  version: 1,
  allowedOrigins: ['http://localhost:*', 'http://127.0.0.1:*'],

  segments: [
    {
      id: 'customers',
      name: 'Customers',
      kind: 'intent',
      priority: 10,
      holdout: 0,
      rule: { all: [{ field: 'account.stage', op: 'equals', value: 'customer' }] },
    },
    {
      // Imported stage, or derived from behaviour: two comparison-page views in 30 days.
      id: 'evaluating',
      name: 'Evaluating',
      kind: 'intent',
      priority: 20,
      holdout: 0,
      rule: {
        any: [
          { field: 'account.stage', op: 'in', values: ['evaluating', 'committed'] },
          { op: 'views', group: 'comparison', min: 2, days: 30 },
        ],
      },
    },
    {
      // Behaviour of the whole account (several people count): after lifecycle, before firmographics.
      id: 'hot-pricing',
      name: 'Hot pricing interest',
      kind: 'behavioural',
      priority: 25,
      holdout: 0,
      rule: { all: [{ op: 'views', group: 'pricing', min: 3, days: 14 }] },
    },
    {
      id: 'fintech-enterprise',
      name: 'Fintech enterprise',
      kind: 'firmographic',
      priority: 30,
      holdout: 0,
      rule: {
        all: [
          { field: 'account.industry', op: 'in', values: ['Financial Services', 'Fintech', 'Banking', 'Insurance'] },
          { field: 'account.employees', op: 'range', min: 1000 },
        ],
      },
    },
    {
      id: 'snowflake-users',
      name: 'Snowflake users',
      kind: 'technographic',
      priority: 40,
      holdout: 0,
      rule: { all: [{ field: 'account.tech', op: 'contains', value: 'Snowflake' }] },
    },
    {
      id: 'databricks-users',
      name: 'Databricks users',
      kind: 'technographic',
      priority: 45,
      holdout: 0,
      rule: { all: [{ field: 'account.tech', op: 'contains', value: 'Databricks' }] },
    },
    {
      id: 'webinar-campaign',
      name: 'Q4 webinar visitors',
      kind: 'context',
      priority: 50,
      holdout: 0,
      rule: { all: [{ field: 'visit.utm_campaign', op: 'equals', value: 'q4-webinar' }] },
    },
    {
      id: 'startups',
      name: 'Startups',
      kind: 'firmographic',
      priority: 60,
      holdout: 0,
      rule: { all: [{ field: 'account.employees', op: 'range', max: 200 }] },
    },
  ],

  // The demo page is served under /demo as well (/demo/pricing, /demo/vs/snowflake, /demo/docs/...).
  pageGroups: [
    { id: 'pricing', name: 'Pricing', patterns: ['/pricing*', '/demo/pricing*'] },
    { id: 'comparison', name: 'Comparison', patterns: ['/vs/*', '/demo/vs/*'] },
    { id: 'docs', name: 'Docs', patterns: ['/docs/*', '/demo/docs/*'] },
  ],

  slots: [
    {
      id: 'hero-headline',
      label: 'Hero headline',
      type: 'text',
      default: { type: 'text', text: 'One lakehouse for every team’s data' },
    },
    {
      id: 'hero-subheadline',
      label: 'Hero subheadline',
      type: 'text',
      default: {
        type: 'text',
        text: 'Lakehouse Cloud unifies warehousing, streaming and machine learning on open table formats, so analysts and engineers finally work from the same copy of the truth.',
      },
    },
    {
      id: 'hero-cta',
      label: 'Hero call to action',
      type: 'link',
      default: { type: 'link', text: 'Start a free trial', href: '/demo/signup' },
    },
    {
      id: 'proof',
      label: 'Proof points',
      type: 'proof',
      default: {
        type: 'proof',
        items: [
          {
            logo: logo('halcyon-freight.svg'),
            quote: 'We retired three legacy pipelines in the first month and our analysts stopped waiting on overnight loads.',
            author: 'Dana Okafor, VP Data, Halcyon Freight',
          },
          { stat: '4.2×', label: 'faster dashboards, median across 300+ customers' },
          {
            logo: logo('juniper-telecom.svg'),
            quote: 'One platform for BI and ML meant one bill, one security review and one team on call.',
            author: 'Ravi Menon, Head of Data Platform, Juniper Telecom',
          },
        ],
      },
    },
    {
      id: 'security-note',
      label: 'Security note',
      type: 'html',
      default: {
        type: 'html',
        html: '<p><strong>Secure by default.</strong> SOC 2 Type II and ISO 27001 certified, encryption in transit and at rest, and SSO on every plan. <a href="/demo/signup?intent=trust-center">Visit the trust center</a>.</p>',
      },
    },
  ],

  variants: {
    customers: {
      'hero-headline': { type: 'text', text: 'Hold and grow: get more from the lakehouse {{account.name|your team}} already runs' },
      'hero-subheadline': {
        type: 'text',
        text: 'New for customers: serverless streaming, vector search and a 20% committed-use credit on expansions signed this quarter. Your account team has the details.',
      },
      'hero-cta': { type: 'link', text: 'Book your expansion review', href: '/demo/signup?intent=expansion' },
      proof: {
        type: 'proof',
        items: [
          {
            logo: logo('halcyon-freight.svg'),
            quote: 'Adding streaming to the platform we already had took a week. We tripled our workloads without a new vendor review.',
            author: 'Dana Okafor, VP Data, Halcyon Freight',
          },
          { stat: '3×', label: 'workloads at Halcyon Freight one year after expanding' },
          { stat: '31%', label: 'average saving after moving to committed-use pricing' },
        ],
      },
      'security-note': {
        type: 'html',
        html: '<p><strong>Your paperwork is ready.</strong> The latest SOC 2 report, pen-test summary and DPA are in the <a href="/demo/signup?intent=trust-portal">customer trust portal</a>.</p>',
      },
    },

    evaluating: {
      'hero-headline': { type: 'text', text: 'Lakehouse Cloud vs. your shortlist: the numbers for {{account.name|your team}}' },
      'hero-subheadline': {
        type: 'text',
        text: 'Independent TPC-DS benchmarks, a line-by-line cost model and a migration plan sized to your workloads. Bring your hardest query and we will run it live.',
      },
      'hero-cta': { type: 'link', text: 'Talk to an engineer', href: '/demo/signup?intent=engineer' },
      proof: {
        type: 'proof',
        items: [
          { stat: '41%', label: 'lower three-year cost than the nearest alternative (ROI study)' },
          { stat: '2.7×', label: 'faster on TPC-DS at 10 TB, same hardware budget' },
          {
            logo: logo('juniper-telecom.svg'),
            quote: 'We ran a four-week bake-off against two vendors. Lakehouse Cloud won on price and on the queries our analysts actually write.',
            author: 'Ravi Menon, Head of Data Platform, Juniper Telecom',
          },
        ],
      },
    },

    'hot-pricing': {
      'hero-headline': { type: 'text', text: 'Pricing {{account.name|your team}} can plan around' },
      'hero-subheadline': {
        type: 'text',
        text: 'Your team has been looking at our plans. Get a quote sized to your workloads in one call, with committed-use discounts and no surprise egress fees.',
      },
      'hero-cta': { type: 'link', text: 'Get a tailored quote', href: '/demo/signup?intent=quote' },
      proof: {
        type: 'proof',
        items: [
          { stat: '31%', label: 'average saving on committed-use pricing' },
          { stat: '$0', label: 'egress fees between regions on every plan' },
          {
            logo: logo('cobalt-outfitters.svg'),
            quote: 'The quote matched our bill to within two percent for the whole first year.',
            author: 'Marisol Vega, Director of Data Engineering, Cobalt Outfitters',
          },
        ],
      },
    },

    'fintech-enterprise': {
      'hero-headline': { type: 'text', text: 'The compliant lakehouse for {{account.name|financial services}}' },
      'hero-subheadline': {
        type: 'text',
        text: 'Run risk, fraud and regulatory reporting on one governed platform, with column-level lineage, customer-managed keys and audit trails your regulators will accept.',
      },
      'hero-cta': { type: 'link', text: 'Get the compliance brief', href: '/demo/signup?intent=fsi-brief' },
      proof: {
        type: 'proof',
        items: [
          {
            logo: logo('larkspur-bank.svg'),
            quote: 'We cut our Basel III reporting cycle from nine days to two, and the auditors signed off on the lineage in the first review.',
            author: 'Helena Strand, Chief Data Officer, Larkspur Bank',
          },
          { stat: '9 → 2 days', label: 'regulatory reporting cycle at Larkspur Bank' },
          {
            logo: logo('bluefin-insurance.svg'),
            quote: 'Claims fraud models now train on the same governed tables finance reports from.',
            author: 'Owen Clarke, Head of Analytics, Bluefin Insurance Group',
          },
        ],
      },
      'security-note': {
        type: 'html',
        html: '<p><strong>Built for regulated finance.</strong> SOC 2 Type II, ISO 27001 and PCI DSS certified, DORA-ready resilience, customer-managed keys and EU/US data residency for {{account.name|your institution}}. <a href="/demo/signup?intent=compliance-brief">Read the compliance brief</a>.</p>',
      },
    },

    'snowflake-users': {
      'hero-headline': { type: 'text', text: 'Already on Snowflake? Keep it, and add a lakehouse beside it' },
      'hero-subheadline': {
        type: 'text',
        text: 'Lakehouse Cloud reads and writes the Iceberg tables your Snowflake account already uses: zero-copy sharing, no migration project, and ML at a fraction of warehouse credits.',
      },
      'hero-cta': { type: 'link', text: 'See the Snowflake integration', href: '/demo/signup?intent=snowflake' },
      proof: {
        type: 'proof',
        items: [
          {
            logo: logo('cobalt-outfitters.svg'),
            quote: 'We kept Snowflake for BI and moved our ML feature pipelines to Lakehouse Cloud over Iceberg. Warehouse spend dropped by a third in one quarter.',
            author: 'Marisol Vega, Director of Data Engineering, Cobalt Outfitters',
          },
          { stat: '34%', label: 'lower Snowflake credit spend at Cobalt Outfitters' },
          { stat: '0', label: 'tables copied: both engines share one Iceberg catalog' },
        ],
      },
    },

    'databricks-users': {
      'hero-headline': { type: 'text', text: 'Running Databricks at {{account.name|your company}}? Bring your notebooks' },
      'hero-subheadline': {
        type: 'text',
        text: 'Open Delta and Spark APIs mean your jobs run unchanged on Lakehouse Cloud, with per-second serverless billing and no clusters to babysit.',
      },
      'hero-cta': { type: 'link', text: 'Get the Databricks migration guide', href: '/demo/signup?intent=databricks' },
      proof: {
        type: 'proof',
        items: [
          {
            logo: logo('redwater-robotics.svg'),
            quote: 'We moved 1,400 Spark jobs in six weeks without rewriting a line. Our platform team stopped tuning clusters entirely.',
            author: 'Tomasz Nowak, Platform Lead, Redwater Robotics',
          },
          { stat: '1,400', label: 'Spark jobs migrated unchanged at Redwater Robotics' },
          { stat: '45%', label: 'lower compute bill after switching to serverless' },
        ],
      },
    },

    'webinar-campaign': {
      'hero-headline': { type: 'text', text: 'Thanks for joining the Q4 webinar: here is everything we showed' },
      'hero-subheadline': {
        type: 'text',
        text: 'Slides, demo notebooks and benchmark scripts from “Lakehouse in production”, plus a 30-day extended trial for attendees.',
      },
      'hero-cta': { type: 'link', text: 'Get the webinar kit', href: '/demo/signup?intent=webinar-kit' },
      proof: {
        type: 'proof',
        items: [
          { stat: '1,900', label: 'data leaders registered for the Q4 webinar' },
          { stat: '4.8 / 5', label: 'average session rating' },
          {
            logo: logo('halcyon-freight.svg'),
            quote: 'The live migration demo was the moment our team stopped debating and started a trial.',
            author: 'Dana Okafor, VP Data, Halcyon Freight',
          },
        ],
      },
    },

    startups: {
      'hero-headline': { type: 'text', text: 'Ship your data platform this week, not this quarter' },
      'hero-subheadline': {
        type: 'text',
        text: 'Pay-per-second serverless, a free tier up to 1 TB and templates for the stack you already use. Most startups are live before their first invoice.',
      },
      'hero-cta': { type: 'link', text: 'Start free, no credit card', href: '/demo/signup?plan=startup' },
      proof: {
        type: 'proof',
        items: [
          {
            logo: logo('pebblebrook.svg'),
            quote: 'Two engineers, one afternoon, and we had production dashboards. Our whole data bill is less than one laptop a year.',
            author: 'Sam Adeyemi, CTO, Pebblebrook Analytics',
          },
          { stat: '15 min', label: 'median time from sign-up to first query' },
          {
            logo: logo('brightkite.svg'),
            quote: 'We went from seed to Series A on the free tier.',
            author: 'Lena Hart, Founder, Brightkite',
          },
        ],
      },
    },
  },
});

// ── "View as" personas ───────────────────────────────────────────────────────

export interface DemoPersona {
  label: string;
  /** Account to view the page as (`?pz_account=`), or null for an anonymous visitor. */
  domain: string | null;
  /** The segment this persona is expected to land in (checked in test/worker/demo-data.test.ts). */
  segment: string | null;
  /** Extra campaign context for context segments (`?utm_campaign=`). */
  utm_campaign?: string;
}

/** One persona per segment, each an account whose *winning* segment is that one, plus Anonymous. */
export const demoPersonas: DemoPersona[] = [
  { label: 'Anonymous', domain: null, segment: null },
  { label: 'Halcyon Freight', domain: 'halcyon-freight.example', segment: 'customers' },
  { label: 'Quillon Health', domain: 'quillon-health.example', segment: 'evaluating' },
  { label: 'Northwind Bank', domain: 'northwind-bank.example', segment: 'fintech-enterprise' },
  { label: 'Orchard Retail', domain: 'orchard-retail.example', segment: 'snowflake-users' },
  { label: 'Ironleaf Mfg', domain: 'ironleaf.example', segment: 'databricks-users' },
  { label: 'Stonebridge (webinar)', domain: 'stonebridge-mfg.example', segment: 'webinar-campaign', utm_campaign: 'q4-webinar' },
  { label: 'Sprocket AI', domain: 'sprocket-ai.example', segment: 'startups' },
];

/**
 * The query string that views the page as this persona: `?pz_account=` with `account`, the persona's
 * signed link (shared/links/signed-link.ts; lifecycle and intent segments need one), else its plain domain.
 */
export function personaQuery(p: DemoPersona, account: string | null = p.domain): string {
  const q = `?pz_account=${encodeURIComponent(account ?? '')}`;
  return p.utm_campaign ? `${q}&utm_campaign=${encodeURIComponent(p.utm_campaign)}` : q;
}
