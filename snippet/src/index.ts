/**
 * The browser snippet, served as /p.js. Dependency-free and tiny: it ships with every page view.
 *
 *   <script async src="https://edge.example/p.js" data-site="acme" data-timeout="800"></script>
 *
 * It hides the marked slots (`[data-pz-slot]` plus selector-configured slots remembered from earlier
 * decisions), asks the edge (`POST /v1/decide`) what this visitor's account gets, swaps it in with one
 * synchronous pass and reveals. On any failure or at the timeout it reveals the page as written.
 * It never throws into the host page.
 *
 * Queue API: `window.pz = window.pz || function(){(pz.q=pz.q||[]).push(arguments)}` then
 * `pz('identify', {email} | {domain})`, `pz('ready', cb)`, `pz('reset')`.
 */
import type { DecideResponse } from '../../shared/schemas/decide';
import { d, h, put } from './apply';
import { L, S, store } from './store';

/**
 * What `pz('ready', cb)` callbacks and `pz:decision` event listeners get: the decision itself (its
 * other fields ride along rather than spending bytes on a copy) plus `applied`, whether any element
 * changed. On fallback: method 'none', no account or segment, applied false.
 */
export type Decision = Pick<DecideResponse, 'method' | 'account' | 'segment'> & { applied: boolean };

const w = window as any;
const EVENT = 'pz:decision';
const FALLBACK: Omit<Decision, 'applied'> = { method: 'none', account: null, segment: null };
let style: HTMLStyleElement | undefined;

const reveal = () => {
  d.documentElement.classList.add('pz-on');
  style && style.remove();
};

try {
  const script = d.currentScript as HTMLScriptElement;
  const data = script.dataset;
  const site = data.site;
  const timeout = +data.timeout! || 800;
  const endpoint = data.endpoint || new URL(script.src).origin;
  const selKey = 'pz_sel:' + site;
  const decKey = 'pz_dec:' + site;
  const nav = navigator as any;
  let last: Decision | undefined;
  let seq = 0;
  let visitor: string | undefined;
  const params = new URLSearchParams(location.search);
  // An admin's signed preview link: decided from the draft, never remembered for later page views.
  const preview = params.get('pz_preview') || undefined;

  // Hide the slots now, one rule per selector so a bad remembered selector spoils only its own rule.
  // !important beats the tag's anti-flicker reveal animation: from here on the snippet decides when to reveal.
  d.head.append(
    (style = h('style', {
      id: 'pz-hide',
      textContent: ['[data-pz-slot]', ...(store(L, selKey) || [])]
        .map((sel) => `html:not(.pz-on) ${sel}{visibility:hidden!important}`)
        .join(''),
    })),
  );

  // Absent keys read as undefined (never null), so JSON.stringify leaves `identity` out.
  const identity = () => store(L, 'pz_id');
  /** Stores the visitor's account; an empty domain forgets it. */
  const remember = (domain: string, source: 'identify' | 'link') =>
    store(L, 'pz_id', domain && { domain: domain.toLowerCase(), source });

  /** Reveals and reports the decision (see Decision); `changed` counts the elements changed. */
  const done = (r: Omit<Decision, 'applied'>, changed?: number) => {
    reveal();
    (last = r as Decision).applied = changed! > 0;
    d.dispatchEvent(new CustomEvent(EVENT, { detail: last }));
  };

  const apply = (r: DecideResponse) => {
    const run = () => {
      let n = 0;
      const sels: string[] = [];
      try {
        // One synchronous pass over every change, then reveal: no frame shows a slot's default content.
        for (const c of r.changes) {
          try {
            if (!/^\[data-pz-slot=/.test(c.selector)) sels.push(c.selector);
            d.querySelectorAll(c.selector).forEach((el) => {
              put(el, c.content);
              (el as HTMLElement).dataset.pzApplied = c.slot;
              n++;
            });
          } catch {}
        }
        store(L, selKey, sels);
        done(r, n);
      } catch {
        done(FALLBACK);
      }
    };
    d.readyState == 'loading' ? d.addEventListener('DOMContentLoaded', run) : run();
  };

  /** Asks the edge; `bg` only refreshes the session cache (the cached decision is already applied). */
  const decide = (bg?: 1) => {
    const id = identity();
    const my = bg ? -1 : ++seq;
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), timeout);
    fetch(endpoint + '/v1/decide', {
      method: 'POST',
      // A string body is sent as text/plain, which keeps it a simple request: no CORS preflight.
      body: JSON.stringify({ site, url: location.href, referrer: d.referrer || undefined, identity: id, visitor, preview }),
      signal: ctl.signal,
    })
      // Non-2xx: (0).json is not a function, so this rejects like a network error.
      .then((res) => (res.ok ? res : (0 as any as Response)).json())
      .then((r: DecideResponse) => {
        preview || store(S, decKey, { i: id && id.domain, r });
        if (my == seq) apply(r);
      })
      // Timeout (aborted, so a late answer is dropped), network error, non-2xx, bad JSON: page as written.
      .catch(() => my == seq && done(FALLBACK));
  };

  const commands: Record<string, (arg: any) => void> = {
    identify(arg) {
      // Only the domain of an e-mail address ever leaves the page.
      const domain = (arg.email || '').split('@')[1] || arg.domain;
      if (domain) {
        remember(domain, 'identify');
        // While the queue is replayed at load, window.pz is still the stub and the first decide comes after.
        w.pz.q || decide();
      }
    },
    ready(cb) {
      last ? cb(last) : d.addEventListener(EVENT, (e) => cb((e as CustomEvent).detail), { once: true });
    },
    reset() {
      store(L, 'pz_id', 0);
      store(S, decKey, 0);
    },
  };
  // Unknown commands and bad arguments throw here and are dropped.
  const command = ([cmd, arg]: any[]) => {
    try {
      commands[cmd]!(arg);
    } catch {}
  };

  // ABM link: ?pz_account=acme.com remembers the account unless the visitor identified themselves;
  // an empty value forgets a link identity.
  const link = params.get('pz_account');
  if (link != null && (identity() || 0).source != 'identify') remember(link, 'link');

  // A random first-party visitor id, unless the visitor asked not to be tracked.
  if (!(nav.globalPrivacyControl || nav.doNotTrack == 1)) {
    store(L, 'pz_vid', (visitor = store(L, 'pz_vid') || crypto.getRandomValues(new Uint32Array(4)).join('')));
  }

  ((w.pz && w.pz.q) || []).forEach(command);
  w.pz = (...a: any[]) => command(a);

  // Same session and identity: apply the cached decision as soon as the DOM is ready, refresh it for the next view.
  const cached = store(S, decKey);
  if (cached && !preview && cached.i == (identity() || 0).domain) {
    apply(cached.r);
    decide(1);
  } else decide();
} catch {
  reveal();
}
