import { escapeHtml as esc } from '../../shared/content/tokens';
import { demoLogoNames, demoPersonas, demoSite, DEMO_LOGO_PATH, personaQuery } from '../../shared/demo/site';
import type { Content, ProofPoint } from '../../shared/schemas';
import { snippetTag } from '../../shared/snippet-tag';

/**
 * The demo landing page a newcomer sees on `npm start`: a fictional vendor's page with marked slots
 * whose markup is rendered from the demo site's slot defaults (so "as written" and the config agree),
 * plus a clearly-marked "View as" bar to switch between personas. Self-contained: inline CSS only,
 * the only other assets are the logos the Worker serves under /demo/logos/.
 */
/** `links`: each persona's signed `pz_account` value, by domain (the View-as bar links to them). */
export function demoPage(opts: { edgeOrigin: string; site: string; timeoutMs?: number; links?: Record<string, string> }): string {
  const headline = slotDefault('hero-headline', 'text');
  const sub = slotDefault('hero-subheadline', 'text');
  const cta = slotDefault('hero-cta', 'link');
  const proof = slotDefault('proof', 'proof');
  const security = slotDefault('security-note', 'html');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Lakehouse Cloud: one lakehouse for every team’s data (demo)</title>
<link rel="icon" href="data:,">
${snippetTag(opts.edgeOrigin, opts.site, opts.timeoutMs, demoSite)}
<style>${CSS}</style>
</head>
<body>
<header class="nav">
  <div class="wrap nav-inner">
    <a class="brand" href="#top">${MARK}<span>Lakehouse Cloud</span></a>
    <nav aria-label="Main"><a href="#features">Product</a><a href="#proof">Customers</a><a href="/demo/vs/snowflake">Compare</a><a href="/demo/pricing">Pricing</a><a href="/demo/docs/getting-started">Docs</a></nav>
    <div class="nav-cta"><a href="#signin">Sign in</a><a class="btn btn-small" href="/demo/signup?intent=demo">Get a demo</a></div>
  </div>
</header>
<main id="top">
<section class="hero">
  <div class="wrap hero-grid">
    <div>
      <p class="eyebrow"><span>New</span> Serverless streaming is generally available</p>
      <h1 data-pz-slot="hero-headline">${esc(headline.text)}</h1>
      <p class="lede" data-pz-slot="hero-subheadline">${esc(sub.text)}</p>
      <div class="actions">
        <a class="btn" data-pz-slot="hero-cta" href="${esc(cta.href)}">${esc(cta.text)}</a>
        <a class="btn btn-ghost" href="#features">Watch the 3-minute tour</a>
      </div>
    </div>
    <div class="console" aria-hidden="true">
      <div class="console-bar"><i></i><i></i><i></i><span>worksheet.sql</span></div>
      <pre><b>select</b> region, <b>sum</b>(revenue) <b>as</b> revenue
  <b>from</b> iceberg.sales.orders
 <b>where</b> order_date &gt;= <s>'2025-01-01'</s>
 <b>group by</b> region;</pre>
      <div class="console-foot"><span>✓ 4 rows</span><span>0.38 s · 2.1 GB scanned</span></div>
    </div>
  </div>
</section>

<section id="proof" class="section">
  <div class="wrap">
    <h2>Why data teams switch</h2>
    <div class="proof" data-pz-slot="proof">${proof.items.map(proofItem).join('')}</div>
  </div>
</section>

<section id="security" class="section security-band">
  <div class="wrap security-inner">${SHIELD}<div class="security" data-pz-slot="security-note">${security.html}</div></div>
</section>

<section id="features" class="section">
  <div class="wrap">
    <h2>Everything a data platform needs, nothing it doesn’t</h2>
    <div class="features">${FEATURES.map(([t, d]) => `<article><h3>${esc(t)}</h3><p>${esc(d)}</p></article>`).join('')}</div>
  </div>
</section>

<section id="pricing" class="section closing">
  <div class="wrap"><h2>Ready when you are</h2><p>Free up to 1 TB. Pay per second after that. Cancel any time.</p><a class="btn" href="/demo/signup?intent=footer">Create your workspace</a></div>
</section>
</main>
<footer class="footer">
  <div class="wrap footer-inner">
    <div><a class="brand" href="#top">${MARK}<span>Lakehouse Cloud</span></a><p>A fictional company, made up for the personalization demo.</p></div>
    <div><h4>Product</h4><a href="#features">Platform</a><a href="/demo/pricing">Pricing</a><a href="/demo/docs/getting-started">Docs</a></div>
    <div><h4>Company</h4><a href="#proof">Customers</a><a href="#security">Trust center</a><a href="#careers">Careers</a></div>
  </div>
</footer>
${demoBar(opts.links)}
<script>${READOUT_SCRIPT}</script>
</body>
</html>
`;
}

/** The page every demo link lands on (`/demo/signup?intent=...`). */
export function demoSignupPage(opts: { home?: string } = {}): string {
  const home = esc(opts.home ?? '/demo');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Thanks (demo)</title><link rel="icon" href="data:,">
<style>${CSS}.thanks{max-width:560px;margin:12vh auto;padding:0 24px;text-align:center}.thanks h1{font-size:2rem;margin:16px 0 8px}</style></head>
<body><main class="thanks">${MARK}<h1>Thanks!</h1><p>You followed a link on the Lakehouse Cloud demo page. It is a demo, so nothing was signed up and nobody will call you.</p>
<p><a class="btn" href="${home}">Back to the demo page</a></p></main></body></html>
`;
}

// ── Pieces ─────────────────────────────────────────────────────────────────────

function slotDefault<T extends Content['type']>(id: string, type: T): Extract<Content, { type: T }> {
  const content = demoSite.slots.find((s) => s.id === id)?.default;
  if (!content || content.type !== type) throw new Error(`demo slot "${id}" needs a ${type} default`);
  return content as Extract<Content, { type: T }>;
}

/** Same elements, in the same order, as the edge renders proof content (shared/content/proof-html.ts), with the demo logos sized. */
function proofItem(p: ProofPoint): string {
  const alt = p.logo?.startsWith(DEMO_LOGO_PATH) ? demoLogoNames[p.logo.slice(DEMO_LOGO_PATH.length)] ?? '' : '';
  return (
    '<figure class="pz-proof">' +
    (p.logo ? `<img src="${esc(p.logo)}" alt="${esc(alt)}" width="180" height="48">` : '') +
    (p.quote ? `<blockquote>${esc(p.quote)}</blockquote>` : '') +
    (p.author ? `<figcaption>${esc(p.author)}</figcaption>` : '') +
    (p.stat ? `<strong>${esc(p.stat)}</strong>` : '') +
    (p.label ? `<span>${esc(p.label)}</span>` : '') +
    '</figure>'
  );
}

function demoBar(links: Record<string, string> = {}): string {
  const segmentName = (id: string | null) => (id && demoSite.segments.find((s) => s.id === id)?.name) || 'no segment';
  const items = demoPersonas
    .map(
      (p) =>
        `<a href="${esc(personaQuery(p, p.domain && (links[p.domain] ?? p.domain)))}" data-domain="${esc(p.domain ?? '')}"><b>${esc(p.label)}</b><small>${esc(segmentName(p.segment))}</small></a>`,
    )
    .join('');
  return `<aside class="demo-bar" aria-label="Demo controls">
  <span class="demo-pill">Demo</span><span class="demo-label">View as</span>
  <nav class="demo-personas">${items}</nav>
  <output id="pz-decision" aria-live="polite">Waiting for the edge…</output>
</aside>`;
}

const FEATURES: ReadonlyArray<readonly [string, string]> = [
  ['Open table formats', 'Iceberg and Delta tables in your own bucket. Any engine can read them, and you can leave any time.'],
  ['Serverless by default', 'No clusters to size. Compute starts in under a second and bills per second.'],
  ['Streaming built in', 'Ingest from Kafka and CDC sources straight into tables that are queryable within seconds.'],
  ['Governance that scales', 'Row and column policies, lineage and audit logs, defined once for SQL, Python and BI.'],
  ['ML and vector search', 'Train, serve and search embeddings next to the data, without exporting a single row.'],
  ['BI everywhere', 'Standard SQL and JDBC/ODBC endpoints for the dashboards your teams already use.'],
];

/** Fills the demo bar's readout from the snippet's queue API. Never throws; values go in via textContent. */
const READOUT_SCRIPT = `(function(){try{
var out=document.getElementById('pz-decision');var done=false;
function show(t){if(out)out.textContent=t;}
function mark(domain){var as=document.querySelectorAll('.demo-personas a');for(var i=0;i<as.length;i++){if(as[i].getAttribute('data-domain')===domain)as[i].setAttribute('aria-current','true');else as[i].removeAttribute('aria-current');}}
window.pz=window.pz||function(){(pz.q=pz.q||[]).push(arguments)};
pz('ready',function(d){try{done=true;
if(!d){show('No decision: page as written');return;}
var acct=d.account?(d.account.name||d.account.domain):null;
var parts=[acct?'Resolved via '+d.method+' \\u2192 '+acct:'Not resolved (anonymous)'];
if(d.segment)parts.push('segment '+(d.segment.name||d.segment.id)+(d.applied?'':' (held out: page as written)'));
else parts.push('no segment: page as written');
show(parts.join(' \\u2192 '));mark(d.account&&d.account.domain?String(d.account.domain):'');
}catch(e){show('Decision received');}});
setTimeout(function(){if(!done)show('No answer from the edge: showing the page as written');},4000);
}catch(e){}})();`;

const MARK = `<svg class="mark" width="28" height="28" viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="8" fill="#0ea5a4"/><path d="M8 12l8-4 8 4-8 4z" fill="#fff"/><path d="M8 16l8 4 8-4M8 20l8 4 8-4" fill="none" stroke="#fff" stroke-width="2" stroke-linejoin="round"/></svg>`;

const SHIELD = `<svg class="shield" width="40" height="40" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 2l8 3v6c0 5-3.4 9.4-8 11-4.6-1.6-8-6-8-11V5z" fill="#0ea5a4"/><path d="M8.5 12l2.5 2.5 4.5-5" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

const CSS = `
:root{--ink:#0b1220;--muted:#556070;--line:#e3e8ef;--bg:#f6f8fb;--navy:#0b1b33;--brand:#0ea5a4;--brand-dark:#0f766e}
*{box-sizing:border-box}
html{scroll-behavior:smooth}
body{margin:0;padding-bottom:140px;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
a{color:var(--brand-dark)}
.wrap{max-width:1120px;margin:0 auto;padding:0 24px}
.btn{display:inline-block;padding:12px 22px;border-radius:10px;background:var(--brand);color:#fff;font-weight:650;text-decoration:none;transition:background .15s}
.btn:hover{background:var(--brand-dark)}
.btn-small{padding:8px 14px;font-size:.9rem}
.btn-ghost{background:transparent;color:#fff;box-shadow:inset 0 0 0 1.5px rgba(255,255,255,.45)}
.btn-ghost:hover{background:rgba(255,255,255,.08)}
.nav{position:sticky;top:0;z-index:5;background:rgba(255,255,255,.92);backdrop-filter:blur(8px);border-bottom:1px solid var(--line)}
.nav-inner{display:flex;align-items:center;gap:32px;height:64px}
.brand{white-space:nowrap;display:inline-flex;align-items:center;gap:10px;font-weight:750;color:var(--ink);text-decoration:none;letter-spacing:-.01em}
.nav nav{display:flex;gap:24px;flex:1}
.nav nav a,.nav-cta>a:not(.btn){color:var(--muted);text-decoration:none;font-size:.95rem}
.nav nav a:hover{color:var(--ink)}
.nav-cta{display:flex;align-items:center;gap:18px}
.hero{background:radial-gradient(1200px 500px at 80% -10%,#134e4a 0%,transparent 60%),linear-gradient(160deg,var(--navy),#0a2540);color:#fff;padding:88px 0 96px}
.hero-grid{display:grid;grid-template-columns:1.15fr .85fr;gap:56px;align-items:center}
.eyebrow{display:inline-flex;gap:10px;align-items:center;margin:0 0 20px;padding:4px 14px 4px 4px;border-radius:99px;background:rgba(255,255,255,.08);font-size:.875rem;color:#cbd5e1}
.eyebrow span{background:var(--brand);color:#fff;border-radius:99px;padding:2px 10px;font-weight:650}
h1{font-size:clamp(2.1rem,4.4vw,3.4rem);line-height:1.08;letter-spacing:-.025em;margin:0 0 20px}
.lede{font-size:1.15rem;color:#cbd5e1;max-width:36em;margin:0 0 32px}
.actions{display:flex;flex-wrap:wrap;gap:14px}
.console{background:#0f172a;border:1px solid rgba(255,255,255,.1);border-radius:14px;box-shadow:0 30px 60px rgba(0,0,0,.35);overflow:hidden}
.console-bar{display:flex;gap:6px;align-items:center;padding:10px 14px;background:#111c33;font-size:.8rem;color:#94a3b8}
.console-bar i{width:10px;height:10px;border-radius:50%;background:#334155}
.console-bar span{margin-left:8px}
.console pre{margin:0;padding:20px;font:14px/1.7 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#e2e8f0;white-space:pre-wrap}
.console pre b{color:#5eead4;font-weight:600}.console pre s{color:#fcd34d;text-decoration:none}
.console-foot{display:flex;justify-content:space-between;padding:10px 20px;border-top:1px solid rgba(255,255,255,.08);font-size:.8rem;color:#94a3b8}
.section{padding:80px 0;scroll-margin-top:64px}
h2{font-size:clamp(1.6rem,3vw,2.2rem);letter-spacing:-.02em;margin:0 0 36px}
.proof{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:20px}
.proof>*{display:flex;flex-direction:column;gap:12px;margin:0;padding:24px;border:1px solid var(--line);border-radius:14px;background:var(--bg)}
.proof img{height:40px;width:auto;align-self:flex-start;border-radius:8px}
.proof strong{font-size:2.6rem;line-height:1;letter-spacing:-.03em;color:var(--brand-dark)}
.proof span{color:var(--muted)}
.proof blockquote{margin:0;font-size:1.05rem}
.proof blockquote::before{content:"“"}.proof blockquote::after{content:"”"}
.proof figcaption,.proof cite{color:var(--muted);font-size:.9rem;font-style:normal}
.security-band{background:var(--bg);border-block:1px solid var(--line);padding:40px 0}
.security-inner{display:flex;gap:20px;align-items:center}
.shield{flex:none}
.security p{margin:0;font-size:1.05rem}
.features{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:28px 32px}
.features h3{margin:0 0 6px;font-size:1.1rem}
.features p{margin:0;color:var(--muted)}
.features article{padding-top:18px;border-top:3px solid var(--brand)}
.closing{text-align:center;background:linear-gradient(160deg,var(--navy),#0a2540);color:#fff}
.closing h2{margin-bottom:12px}.closing p{color:#cbd5e1;margin:0 0 28px}
.footer{padding:48px 0;border-top:1px solid var(--line);font-size:.92rem;color:var(--muted)}
.footer-inner{display:grid;grid-template-columns:2fr 1fr 1fr;gap:32px}
.footer h4{margin:0 0 10px;color:var(--ink)}
.footer-inner>div>a:not(.brand){display:block;color:var(--muted);text-decoration:none;margin:4px 0}
.demo-bar{position:fixed;left:12px;right:12px;bottom:12px;z-index:50;display:flex;flex-wrap:wrap;align-items:center;gap:8px 12px;padding:10px 14px;border-radius:14px;background:#111827;color:#e5e7eb;font-size:.85rem;box-shadow:0 10px 30px rgba(0,0,0,.35);border:1px solid #374151}
.demo-pill{flex:none;background:#facc15;color:#111827;font-weight:800;text-transform:uppercase;letter-spacing:.08em;font-size:.7rem;padding:3px 8px;border-radius:6px}
.demo-label{flex:none;color:#9ca3af}
.demo-personas{display:flex;gap:6px;overflow-x:auto;flex:1 1 0;min-width:0;scrollbar-width:thin}
.demo-personas a{flex:none;display:flex;flex-direction:column;padding:5px 10px;border-radius:8px;color:#f9fafb;text-decoration:none;background:#1f2937;border:1px solid #374151;line-height:1.25}
.demo-personas a:hover{background:#374151}
.demo-personas a[aria-current]{background:#0f766e;border-color:#14b8a6}
.demo-personas small{color:#9ca3af;font-size:.72rem}.demo-personas a[aria-current] small{color:#ccfbf1}
#pz-decision{flex:1 1 100%;padding-left:2px;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#a7f3d0}
#pz-decision::before{content:"Decision: ";color:#9ca3af}
@media (max-width:860px){.hero-grid{grid-template-columns:1fr}.console{display:none}.nav nav,.nav-cta>a:not(.btn){display:none}.nav-inner{justify-content:space-between}.footer-inner{grid-template-columns:1fr}
.demo-personas{flex-basis:100%}body{padding-bottom:170px}}
`;
