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
 *
 * Measurement (only when the decision carries `measure`: a segment, and a visitor id): an exposure once
 * the segment's slots are on screen (in the holdout, as written), conversions for clicks on links in
 * those slots (`cta`), clicks on `[data-pz-goal]` elements, form submits (`submit`, or the form's
 * `data-pz-goal`) and URL goals the edge names. Batched, sent with sendBeacon (else fetch keepalive).
 */
import type { DecideResponse } from '../../shared/schemas/decide';
import type { Measure } from '../../shared/schemas/measure';
import { d, h, put } from './apply';
import { L, S, store } from './store';

/**
 * What `pz('ready', cb)` callbacks and `pz:decision` event listeners get: the decision itself (its
 * other fields ride along rather than spending bytes on a copy) plus `applied`, whether any element
 * changed. On fallback: method 'none', no account or segment, applied false.
 */
export type Decision = Pick<DecideResponse, 'method' | 'account' | 'segment' | 'arm'> & { applied: boolean };

const w = window as any;
const EVENT = 'pz:decision';
const FALLBACK: Omit<Decision, 'applied'> = { method: 'none', account: null, segment: null };
let style: HTMLStyleElement | undefined;

/** 4 random 32-bit numbers as digits: visitor and batch ids. */
const rnd = () => crypto.getRandomValues(new Uint32Array(4)).join('');

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
  /** Measure of the decision on the page (what clicks and submits are reported against), and unsent events. */
  let m: Measure | undefined;
  let queue: object[] = [];
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

  /** Sends the unsent events as one batch; the beacon survives the page being left. */
  const send = () => {
    if (queue[0]) {
      const body = JSON.stringify({ site, batch: rnd(), visitor, events: queue });
      queue = [];
      nav.sendBeacon(endpoint + '/v1/events', body) || fetch(endpoint + '/v1/events', { method: 'POST', body, keepalive: true }).catch(() => {});
    }
  };
  /**
   * Queues an exposure, or with a goal a conversion, of the decision `measure` (none: not measured).
   * Events within half a second go in one batch; leaving the page sends at once.
   */
  const track = (measure: Measure | undefined, goal?: string) =>
    measure && queue.push(Object.assign({ type: goal ? 'conversion' : 'exposure', goal }, measure)) < 2 && setTimeout(send, 500);

  const apply = (r: DecideResponse) => {
    const run = () => {
      let n = 0;
      let seen: any;
      const sels: string[] = [];
      try {
        // One synchronous pass over every change, then reveal: no frame shows a slot's default content.
        for (const c of r.changes) {
          try {
            if (!/^\[data-pz-slot=/.test(c.selector)) sels.push(c.selector);
            // In the holdout (no content) the slot keeps its content as written, and still counts as shown.
            d.querySelectorAll(c.selector).forEach((el) => {
              c.content && (put(el, c.content), n++);
              (el as HTMLElement).dataset.pzApplied = c.slot;
              seen = 1;
            });
          } catch {}
        }
        store(L, selKey, sels);
        done(r, n);
        seen && track((m = r.measure));
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
        // URL goals are this page view's, so they come from the fresh answer, never from a cached one.
        (r.goals || []).forEach((g) => track(r.measure, g));
        r.goals = 0 as any;
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
    store(L, 'pz_vid', (visitor = store(L, 'pz_vid') || rnd()));
  }

  // Conversions: a click on a goal element or on a link in a decided slot (`cta`); a form submitted.
  d.addEventListener(
    'click',
    (e: any) => {
      const goal = e.target.closest && e.target.closest('[data-pz-goal]:not(form),[data-pz-applied] a,a[data-pz-applied]');
      goal && track(m, goal.dataset.pzGoal || 'cta');
    },
    true,
  );
  d.addEventListener('submit', (e: any) => track(m, e.target.dataset.pzGoal || 'submit'), true);
  addEventListener('pagehide', send);

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
