import type { DecideResponse, SiteConfig } from '../../shared/schemas';
import { networkFacts } from '../decide/network-facts';
import { VisitorId } from '../../shared/schemas';
import { trackingAllowed } from '../activity/observe-visit';
import { decideRequest } from '../decide/decide';
import type { Env } from '../env';
import { getSiteConfig } from '../kv/site-config';
import { putOnInner, putOnSlot } from './render-slot';

/**
 * Edge mode: this Worker on the customer's own route, in front of their origin. A GET for an HTML page
 * starts the decision while the origin is fetched, and the origin's HTML streams through HTMLRewriter,
 * each slot's content put in place as its bytes pass. The first byte is never held for the body: the
 * head streams at once, and the decision is awaited (for at most DECISION_BUDGET_MS) only where it is
 * needed, at the end of <head>. Not ready by then: the page streams as written, untouched, and the
 * snippet decides in the browser as it does without edge mode.
 *
 * Everything else (other methods, redirects, errors, non-HTML, `no-transform`) is the origin's
 * response, byte for byte.
 */
export const DECISION_BUDGET_MS = 150;
const budgetOf = (env: Pick<Env, 'EDGE_DECISION_BUDGET_MS'>) => {
  const raw = env.EDGE_DECISION_BUDGET_MS?.trim();
  const ms = Number(raw);
  return raw && Number.isFinite(ms) && ms >= 0 ? ms : DECISION_BUDGET_MS;
};
const VISITOR_COOKIE = 'pz_vid';
const VISITOR_DAYS = 365;

/** Where the page comes from: the site's configured origin, else the request itself (on a Cloudflare route: the zone's origin). */
function upstreamRequest(request: Request, config: SiteConfig | null): Request {
  const url = new URL(request.url);
  const origin = config?.edge?.origin;
  const target = origin ? new URL(url.pathname + url.search, origin) : url;
  const upstream = new Request(target, request);
  upstream.headers.set('x-forwarded-host', url.host);
  return new Request(upstream, { redirect: 'manual' });
}

const isHtml = (res: Response) => /^text\/html\b/i.test(res.headers.get('content-type') ?? '');
const noTransform = (res: Response) => /\bno-transform\b/i.test(res.headers.get('cache-control') ?? '');

function cookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

type Visitor = { id: string | undefined; isNew: boolean };

/** The visitor's first-party id (this edge's cookie), a new one for a first visit; none when the browser asks not to be tracked. */
function visitorOf(request: Request): Visitor {
  if (!trackingAllowed(request.headers)) return { id: undefined, isNew: false };
  const known = VisitorId.safeParse(cookie(request, VISITOR_COOKIE));
  return known.success ? { id: known.data, isNew: false } : { id: crypto.randomUUID().replaceAll('-', ''), isNew: true };
}

/** The decision for this page view, as the snippet would have asked for it (and recorded like it); null when there is none. */
async function decisionFor(request: Request, env: Env, ctx: Pick<ExecutionContext, 'waitUntil'>, site: string, visitor: string | undefined): Promise<DecideResponse | null> {
  const cf = request.cf as IncomingRequestCfProperties | undefined;
  const referrer = request.headers.get('referer');
  const outcome = await decideRequest(
    env,
    { site, url: request.url, ...(referrer && { referrer }), ...(visitor && { visitor }) },
    {
      ip: request.headers.get('cf-connecting-ip'),
      ...networkFacts(cf),
      // the page is this request's own, so its origin is the page's, not a claim
      origin: new URL(request.url).origin,
      edgeUrl: request.url,
    },
    { kv: env.KV, ns: env.ACCOUNT_ACTIVITY, now: Date.now(), tracking: visitor !== undefined, waitUntil: (p) => ctx.waitUntil(p) },
  );
  return outcome.status === 'ok' ? outcome.body : null;
}

const within = <T>(promise: Promise<T>, ms: number): Promise<T | null> =>
  Promise.race([promise.catch(() => null), new Promise<null>((resolve) => setTimeout(() => resolve(null), ms))]);

/** `<` escaped, so the JSON cannot close its script element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The paths first-party serving hands to this Worker's own routes: the snippet, the editor and the public API, nothing else. */
const FIRST_PARTY = /^\/(p\.js|editor\.js|v1\/.+)$/;

/**
 * A request on a customer's host: under the site's first-party prefix, the snippet or the public API
 * (answered by `own`, this Worker's own routes, with the prefix taken off); anything else, their page.
 */
export async function edgeRequest(
  request: Request,
  env: Env,
  ctx: Pick<ExecutionContext, 'waitUntil'>,
  site: string,
  own: (request: Request) => Promise<Response>,
): Promise<Response> {
  const lookup = await getSiteConfig(env.KV, site).catch(() => null);
  const config = lookup?.status === 'ok' ? lookup.config : null;
  const prefix = config?.edge?.prefix;
  const url = new URL(request.url);
  if (prefix && url.pathname.startsWith(`${prefix}/`) && FIRST_PARTY.test(url.pathname.slice(prefix.length))) {
    url.pathname = url.pathname.slice(prefix.length);
    return own(new Request(url, request));
  }
  return proxyToOrigin(request, env, ctx, site, config);
}

export async function proxyToOrigin(request: Request, env: Env, ctx: Pick<ExecutionContext, 'waitUntil'>, site: string, config: SiteConfig | null): Promise<Response> {
  const upstream = upstreamRequest(request, config);
  // budget 0: edge decisions are off (a switch for operators); the snippet decides every page in the browser
  if (!config || request.method !== 'GET' || budgetOf(env) === 0) return fromOrigin(upstream);
  const visitor = visitorOf(request);
  const started = Date.now();
  const pending = decisionFor(request, env, ctx, site, visitor.id).catch(() => null);
  const res = await cachedPage(upstream, ctx);
  if (res.status !== 200 || !isHtml(res) || noTransform(res) || !res.body) return res;
  const budget = Math.max(0, budgetOf(env) - (Date.now() - started));
  return personalized(res, config, within(pending, budget), visitor, new URL(request.url).protocol === 'https:');
}

/** The origin's answer; when it cannot be reached, a plain 502 (never this Worker's JSON errors on the customer's host). */
async function fromOrigin(upstream: Request): Promise<Response> {
  try {
    return await fetch(upstream);
  } catch (err) {
    console.error('edge mode: origin unreachable', err);
    return new Response('Bad gateway: the origin could not be reached.\n', { status: 502, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  }
}

/**
 * The origin's page as written, from the Cache API when an earlier answer may be reused: it is the
 * same for every visitor (personalization happens after the cache), and stored only when the origin
 * says a shared cache may keep it (`public` or `s-maxage`/`max-age`, no `private`/`no-store`, no
 * `Set-Cookie`). The cache key leaves out the link parameters (`pz_*`), which the origin's page never varies on.
 */
async function cachedPage(upstream: Request, ctx: Pick<ExecutionContext, 'waitUntil'>): Promise<Response> {
  const keyUrl = new URL(upstream.url);
  for (const name of [...keyUrl.searchParams.keys()]) if (name.startsWith('pz_')) keyUrl.searchParams.delete(name);
  const key = new Request(keyUrl.toString(), { method: 'GET' });
  const cache = (globalThis as unknown as { caches?: { default: Cache } }).caches?.default;
  const hit = await cache?.match(key).catch(() => undefined);
  if (hit) return hit;
  const res = await fromOrigin(upstream);
  if (cache && res.status === 200 && isHtml(res) && sharedCacheable(res)) ctx.waitUntil(cache.put(key, res.clone()).catch(() => undefined));
  return res;
}

function sharedCacheable(res: Response): boolean {
  const control = (res.headers.get('cache-control') ?? '').toLowerCase();
  if (/\b(private|no-store|no-cache)\b/.test(control) || res.headers.has('set-cookie')) return false;
  return /\b(public|s-maxage=[1-9]|max-age=[1-9])/.test(control);
}

/** The slots HTMLRewriter can find, by id: a selector it cannot parse (`:is()`, `+`, `~`, …) is left to the snippet. */
function matchableSlots(config: SiteConfig): { id: string; selector: string }[] {
  const probe = new HTMLRewriter();
  return config.slots.flatMap((slot) => {
    const selector = slot.selector ?? `[data-pz-slot="${slot.id}"]`;
    try {
      probe.on(selector, {});
      return [{ id: slot.id, selector }];
    } catch {
      return [];
    }
  });
}

function personalized(res: Response, config: SiteConfig, ready: Promise<DecideResponse | null>, visitor: Visitor, secure: boolean): Response {
  let decision: DecideResponse | null = null;
  const slots = matchableSlots(config);
  const rewriter = new HTMLRewriter().on('head', {
    element(head) {
      head.onEndTag(async (end) => {
        decision = await ready;
        if (!decision) return;
        // The snippet reads the decision here instead of asking again; the slots found here are revealed
        // now (their content is final), ahead of the tag's hiding style; any other slot stays the snippet's.
        const reveal = slots.map((s) => `:is(${s.selector})`).join(',');
        end.before(
          `<script type="application/json" id="pz-edge">${scriptJson({ ...decision, visitor: visitor.id, e: 1 })}</script>` +
            (reveal ? `<style id="pz-edge-reveal">${reveal}{visibility:visible!important;animation:none!important}</style>` : ''),
          { html: true },
        );
      });
    },
  });
  for (const slot of slots) {
    let inner: 'a' | 'img' | null = null;
    const change = () => decision?.changes.find((c) => c.slot === slot.id)?.content;
    rewriter.on(slot.selector, {
      element(el) {
        const content = change();
        if (!content || inner) return;
        el.setAttribute('data-pz-applied', slot.id);
        if (putOnSlot(el, content) === 'inner') inner = content.type === 'link' ? 'a' : 'img';
      },
    });
    if (slot.selector.includes(',')) continue;
    for (const tag of ['a', 'img'] as const) {
      rewriter.on(`${slot.selector} ${tag}`, {
        element(el) {
          const content = change();
          if (inner !== tag || !content || (content.type !== 'link' && content.type !== 'image')) return;
          putOnInner(el, content);
          inner = null;
          // once: later links and images in the slot stay as written
          el.setAttribute('data-pz-applied', slot.id);
        },
      });
    }
  }
  const transformed = rewriter.transform(res);
  const headers = new Headers(transformed.headers);
  // Decided for this visitor: never stored by a shared cache, and no validator of the origin's page.
  headers.set('Cache-Control', 'private, no-store');
  headers.delete('ETag');
  headers.delete('Last-Modified');
  if (visitor.isNew && visitor.id)
    headers.append('Set-Cookie', `${VISITOR_COOKIE}=${visitor.id}; Path=/; Max-Age=${VISITOR_DAYS * 86_400}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
  return new Response(transformed.body, { status: transformed.status, statusText: transformed.statusText, headers });
}
