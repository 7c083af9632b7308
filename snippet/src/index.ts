/**
 * The browser snippet, served as /p.js. Dependency-free and tiny: it ships with every page view, and
 * the build fails above 2,048 B gzipped, so the code below is written for size (see scripts/build.mjs).
 *
 *   <script async src="https://edge.example/p.js" data-site="acme" data-timeout="800"></script>
 *
 * It hides the marked slots (`[data-pz-slot]` plus selector-configured slots remembered from earlier
 * decisions), asks the edge (`POST /v1/decide`) what this visitor's account gets, swaps it in with one
 * synchronous pass and reveals. It never throws into the host page.
 *
 * Single-page apps: every client-side navigation to another URL is a new view (seen through the
 * Navigation API, and by the mutation observer below in browsers without it), decided like a page
 * load with a full timeout of its own; `pz('page')` starts one by hand. While a view decides, only its
 * slots that do not show a decision yet are hidden. When the framework renders a slot again, the
 * observer puts the content back before the next paint (a bounded number of times per view, so it
 * never fights the framework in a loop). Each view reports its own exposure, once.
 *
 * The budget (`data-timeout`, 800 ms) counts from navigation start (`performance.now()`), like the
 * tag's anti-flicker style, not from when p.js ran:
 * - the decide request is aborted when the budget runs out (`timeout - performance.now()` after it
 *   was sent), and a decision not on the page by then is dropped, whether it was still on the wire or
 *   waiting for DOMContentLoaded: the page is revealed as written at the budget;
 * - a p.js that runs after the budget never hides anything (the tag's style has revealed the slots
 *   already) and never changes the page: it reveals, reports the page as written, and decides only to
 *   refresh the session's remembered decision for the next page view.
 * A decision asked for by a later `pz('identify')` has a full timeout of its own and changes the page
 * when it comes (the visitor just told us who they are).
 *
 * The session remembers the last decision (sessionStorage `pz_d:<site>`) under what it was decided
 * for: the identity and the parts of the URL rules read (path and `utm_*` parameters). A later page view
 * with the same applies it at once and refreshes it in the background; any other decides afresh.
 *
 * Queue API: `window.pz = window.pz || function(){(pz.q=pz.q||[]).push(arguments)}` then
 * `pz('identify', {email | domain, role?})`, `pz('ready', cb)`, `pz('page')`, `pz('reset')`. Of an identify
 * only the company domain and the role (a buying-committee role or seniority, for `visitor.role` rules) leave the page. A free-mail identify
 * (gmail.com, …) is never stored, so it never blocks a later ABM link; it is only sent with this page
 * view's decision when nothing else is known (the edge ignores free mail too).
 *
 * Measurement (only when the decision carries `measure`: a segment, and a visitor id): an exposure once
 * the segment's slots are on screen (in the holdout, as written), conversions for clicks on links in
 * those slots (`cta`), clicks on `[data-pz-goal]` elements, form submits (`submit`, or the form's
 * `data-pz-goal`) and URL goals the edge names. Batched and sent with sendBeacon half a second after the
 * first event, and at once when the page is hidden (`visibilitychange`) or left (`pagehide`).
 */
import type { DecideResponse } from '../../shared/schemas/decide';
import type { Measure } from '../../shared/schemas/measure';
import { d, h, put, type WireContent } from './apply';
import { L, S, store } from './store';

/**
 * What `pz('ready', cb)` callbacks and `pz:decision` event listeners get: the decision itself (its
 * other fields ride along rather than spending bytes on a copy) plus `applied`, whether any element
 * changed. On fallback: method 'none', no account or segment, applied false.
 */
export type Decision = Pick<DecideResponse, 'method' | 'confidence' | 'account' | 'segment' | 'arm'> & { applied: boolean };

/** This snippet's version (scripts/build.mjs). */
declare const __PZ_SV__: string;

const w = window as any;
/**
 * The commonest consumer mailbox domains (by their first label), kept tiny: such an identity is never
 * stored. The edge has the full list (shared/resolve/email.ts) and ignores them all in decisions.
 */
const FREE_MAIL = /^(gmail|yahoo|hotmail|outlook|icloud)\./;
let style: HTMLStyleElement | undefined;

/** 16 random digits: visitor and batch ids. */
const rnd = () => Math.random().toFixed(16).slice(2);

/** The decision reported last (see Decision). */
let last: any;
/** Reveals and reports the decision, by default the page as written; `changed` counts the elements changed. */
const done = (r: any = { method: 'none', account: null, segment: null }, changed?: any) => {
  d.documentElement.classList.add('pz-on');
  style?.remove();
  (last = r).applied = changed > 0;
  d.dispatchEvent(new CustomEvent('pz:decision', { detail: r }));
};

try {
  const script = d.currentScript as HTMLScriptElement;
  const data = script.dataset;
  const site = data.site;
  const timeout = +data.timeout! || 800;
  const api = (data.endpoint || new URL(script.src).origin) + '/v1/';
  // An admin's edit link (#pz_edit=<token>): load the visual editor (`v1/../` is the edge's root) and
  // leave the page as written, undecided (the throw lands in the catch below, which reveals it).
  if (/pz_edit=/.test(location.hash)) throw d.head.append(h('script', { src: api + '../editor.js' }));
  /**
   * The decision the page waits for: 1 the first one (remembered or fetched), more after an identify;
   * the budget's end moves it on, which drops a first decision not yet on the page.
   */
  let seq = 0;
  let visitor: string | undefined;
  /** A free-mail identity: sent with this page view's decisions only, and only when nothing is stored. */
  let mem: any;
  /** Measure of the decision on the page (what clicks and submits are reported against), and unsent events. */
  let m: Measure | undefined;
  /** What this page view's decision is remembered under: identity, path and UTM parameters. */
  let key: string;
  let cached: any;
  /** This view: whether its exposure is queued, how many passes after its decision changed something. */
  let shown: any;
  let fights: any;
  const queue: object[] = [];
  const params = new URLSearchParams(location.search);
  // An admin's signed preview link: decided from the draft, never remembered for later page views.
  const preview = params.get('pz_preview') || undefined;
  // Edge mode: the edge decided this page as it streamed, and says so in the page (edge/edge-mode/proxy.ts).
  let edge: any = d.getElementById('pz-edge');

  // Absent keys read as undefined (never null), so JSON.stringify leaves `identity` out.
  const identity = () => store(L, 'pz_id') || mem;
  /** Stores the visitor's account (a free-mail one only in memory); an empty domain forgets it. */
  const remember = (domain: string, source: any, role?: any) => {
    FREE_MAIL.test((domain = domain.toLowerCase())) ? (mem = { domain, source, role }) : store(L, 'pz_id', domain && { domain, source, role });
  };

  /** Sends the unsent events as one batch; the beacon survives the page being left. Never throws. */
  const send = () => {
    try {
      queue[0] && (navigator as any).sendBeacon(api + 'events', JSON.stringify({ site, batch: rnd(), visitor, events: queue.splice(0) }));
    } catch {}
  };
  /**
   * Queues an exposure, or with a goal a conversion, of the decision `measure` (none: not measured).
   * Events within half a second go in one batch; hiding or leaving the page sends at once.
   */
  const track = (measure: Measure | undefined, goal?: string) =>
    measure && queue.push({ type: goal ? 'conversion' : 'exposure', goal, ...measure }) < 2 && setTimeout(send, 500);

  /**
   * Puts decision `r` into its slots in one synchronous pass: into every slot (`all`, a new decision),
   * or only those not showing it yet (new elements, or ones the framework rendered again: what an element
   * looked like after the last pass, `pzH`, tells). Returns how many elements changed; queues the view's
   * exposure once, when its first slot is there.
   */
  const pass = (r: DecideResponse, all?: any) => {
    let n = 0;
    let seen: any;
    for (const c of r.changes) {
      try {
        // In the holdout (no content) the slot keeps its content as written, and still counts as shown.
        for (const el of d.querySelectorAll<any>(c.selector)) {
          // `r.e`: the edge decided this page and put the content of the slots it found in place already
          (all ? !((r as any).e && el.dataset.pzApplied) : el.pzH != el.outerHTML) && c.content && (put(el, c.content as WireContent), n++);
          el.dataset.pzApplied = c.slot;
          el.pzH = el.outerHTML;
          seen = 1;
        }
      } catch {}
    }
    seen && !shown++ && track((m = r.measure));
    return n;
  };

  /** Applies decision `my` once the DOM is ready, unless another decision or the budget's end came first. */
  const apply = (r: DecideResponse, my: number) => {
    const run = () => {
      try {
        if (my == seq) {
          // the slots' selectors, hidden from the start of the next page view (those of `[data-pz-slot]`
          // slots are hidden anyway: not worth the bytes to leave out)
          store(L, 'pz_sel:' + site, r.changes.map((c) => c.selector));
          done(r, pass(r, 1));
        }
      } catch {
        done();
      }
    };
    // readyState 'loading' is the only state after 'l'.
    d.readyState > 'l' ? d.addEventListener('DOMContentLoaded', run) : run();
  };

  /**
   * Asks the edge, giving up after `ms` (default: a full timeout); `bg` only refreshes the session's
   * remembered decision. Decisions an identify asked for (`my` > 1) are not remembered: the next page
   * view's identity and key tell them apart anyway.
   */
  const decide = (bg?: any, ms?: any) => {
    const my = bg ? -1 : ++seq;
    fetch(api + 'decide', {
      method: 'POST',
      // A string body is sent as text/plain, which keeps it a simple request: no CORS preflight.
      // `tag` and `sv` (the tag's and this snippet's versions) feed the admin's tag check.
      body: JSON.stringify({ site, url: location.href, referrer: d.referrer, identity: identity(), visitor, preview, tag: data.v, sv: __PZ_SV__ }),
      // Browsers without AbortSignal.timeout (Safari < 16) send it unbounded; the budget still reveals.
      signal: AbortSignal.timeout?.(ms || timeout),
    })
      // Non-2xx: (0).json is not a function, so this rejects like a network error.
      .then((res) => (res.ok ? res : (0 as any as Response)).json())
      .then((r: DecideResponse) => {
        // URL goals are this page view's: tracked from the fresh answer only (apply never reads them).
        r.goals?.forEach((g) => track(r.measure, g));
        preview || my > 1 || store(S, 'pz_d:' + site, { i: key, r });
        apply(r, my);
      })
      // Timeout (aborted), network error, non-2xx, bad JSON: page as written.
      .catch(() => my == seq && done());
  };

  // Unknown commands and bad arguments throw here and are dropped.
  const command = (cmd: any, arg?: any) => {
    try {
      cmd == 'ready'
        ? last
          ? arg(last)
          : d.addEventListener(
              'pz:decision',
              () => {
                try {
                  arg(last);
                } catch {}
              },
              { once: true },
            )
        : cmd == 'reset'
          ? (store(L, 'pz_id', 0), store(S, 'pz_d:' + site, 0))
          : // Only the domain of an e-mail address ever leaves the page. While the queue is replayed at
            // load, window.pz is still the stub and the first view's decide comes after.
            cmd == 'identify'
            ? (remember(arg.email?.split('@')[1] || arg.domain || 0, 'identify', arg.role), w.pz.q || decide())
            : cmd == 'page' && (w.pz.q || page(timeout));
    } catch {}
  };

  // ABM link: ?pz_account=acme.com remembers the account unless the visitor identified themselves;
  // an empty value forgets a link identity.
  const link = params.get('pz_account');
  if (link != null && identity()?.source != 'identify') remember(link, 'link');

  // A random first-party visitor id, unless the visitor asked not to be tracked.
  if (!((navigator as any).globalPrivacyControl || (navigator as any).doNotTrack == 1)) {
    store(L, 'pz_vid', (visitor = store(L, 'pz_vid') || rnd()));
  }

  // Conversions: a click on a goal element or on a link in a decided slot (`cta`); a form submitted
  // (`submit`, or the form's goal).
  for (const type of ['click', 'submit'])
    d.addEventListener(
      type,
      (e: any) => {
        try {
          const goal = type < 's' ? e.target.closest('[data-pz-goal]:not(form),[data-pz-applied] a,a[data-pz-applied]') : e.target;
          goal && track(m, goal.dataset.pzGoal || (type < 's' ? 'cta' : type));
        } catch {}
      },
      true,
    );
  // Hiding the page (a tab switch; on mobile often the last event a page gets) or leaving it: send now.
  addEventListener('pagehide', send);
  addEventListener('visibilitychange', send);

  w.pz?.q?.forEach((a: any) => command(...(a as [any, any])));
  w.pz = command;

  /**
   * A view: the page load (`ms`: what is left of the budget), then each client-side navigation and
   * `pz('page')` (a full timeout from then). Hides the slots not showing this view's decision yet,
   * unless the budget is spent (the tag's style has revealed them: never hide them again), until `done`
   * takes the style away: one rule per selector so a bad remembered selector spoils only its own rule;
   * !important beats the tag's anti-flicker reveal animation, so until the budget's end the snippet
   * decides when to reveal. `html.pz-on` stays once set: the tag's style never hides a slot again.
   */
  const page = (ms: number) => {
    last = m = shown = fights = 0 as any;
    key = identity()?.domain + location.pathname + location.search.match(/utm_[^&]*/g);
    if (ms > 0 && !edge) {
      style?.remove();
      d.head.append(
        (style = h('style', {
          id: 'pz-hide',
          textContent: ['[data-pz-slot]', ...(store(L, 'pz_sel:' + site) || [])].map((sel) => `:is(${sel}):not([data-pz-applied]){visibility:hidden!important}`).join(''),
        })),
      );
    }
    if (edge) {
      // its measurement token names the edge's visitor id (a first-party cookie): events must carry the
      // same. The edge decided the first view only.
      cached = JSON.parse(edge.textContent!);
      visitor = cached.visitor;
      apply(cached, ++seq);
      edge = 0 as any;
    } else if (ms > 0 && !preview && (cached = store(S, 'pz_d:' + site))?.i == key) {
      // Same session, identity, path and campaign: apply the remembered decision as soon as the DOM is
      // ready, refresh it for the next view.
      apply(cached.r, ++seq);
      decide(1);
    } else decide(0, ms > 0 && ms);
    // The view's budget (at once when spent): its decision, if still pending (on the wire, or waiting for
    // the DOM), is dropped and the slots revealed as written. Unless a later view or an identify has
    // asked since: a decision an identify asked for has its own timeout.
    const my = seq;
    setTimeout(() => my == seq && !last && (seq++, done()), ms);
  };

  /** A client-side navigation to another URL (not one that only changes the hash or the history state): a new view. */
  const nav = () => url != (url = location.href.split('#')[0]) && page(timeout);
  let url = location.href.split('#')[0];
  // The Navigation API reports every same-document navigation (push, replace, traverse) as it commits.
  // Without it, the observer below notices the new URL when the new view renders: a view the framework
  // renders is a DOM mutation, and the check runs before that frame is painted. (Cheaper than wrapping
  // history.pushState/replaceState, and unaffected by a router that took a reference to them first.)
  w.navigation?.addEventListener('currententrychange', nav);
  // A framework rendering a slot again (a re-render, a route's new elements, hydration patching text)
  // while a decision is on the page: put it back, before the next paint. What the framework changes
  // while the view is deciding is hidden until the decision comes. Guard: 20 passes that change
  // something per view, then the framework wins (it never fights in a loop).
  new MutationObserver(() => {
    try {
      nav();
      last
        ? fights < 20 && (fights += pass(last) > 0)
        : d.querySelectorAll<any>('[data-pz-applied]').forEach((el) => el.pzH && el.pzH != el.outerHTML && delete el.dataset.pzApplied);
    } catch {}
  }).observe(d, { childList: true, subtree: true, characterData: true });

  // the load's budget counts from navigation start
  page(timeout - performance.now());
} catch {
  done();
}
