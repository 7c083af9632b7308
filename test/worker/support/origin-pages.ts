/** What the stand-in customer origin (test/support/origin-server.ts) answers; bodies base64 so binary ones pass unchanged. */
declare module 'vitest' {
  export interface ProvidedContext {
    customerOrigin: string;
  }
}

const b64 = (text: string) => btoa(unescape(encodeURIComponent(text)));

export const PAGE_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Customer</title>
<style>html:not(.pz-on) [data-pz-slot]{visibility:hidden}</style></head><body>
<h1 data-pz-slot="headline">Analytics for every team</h1>
<a id="cta" href="/signup">Start a trial</a>
<div data-pz-slot="note"><p>As written.</p></div>
<script>window.templateRan = true</script>
</body></html>`;

/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

export const ORIGIN_PAGES = {
  static: {
    '/pricing': { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=600', etag: '"v1"' }, body: b64(PAGE_HTML) },
    '/private': { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private, max-age=600' }, body: b64(PAGE_HTML) },
    '/no-transform': { status: 200, headers: { 'content-type': 'text/html', 'cache-control': 'no-transform' }, body: b64(PAGE_HTML) },
    '/moved': { status: 302, headers: { location: '/pricing', 'content-type': 'text/html' }, body: b64('<a href="/pricing">moved</a>') },
    '/api.json': { status: 200, headers: { 'content-type': 'application/json' }, body: b64('{"headline":"not html"}') },
    '/logo.png': { status: 200, headers: { 'content-type': 'image/png' }, body: PNG },
    '/broken': { status: 500, headers: { 'content-type': 'text/html' }, body: b64('<h1 data-pz-slot="headline">Oops</h1>') },
  } as Record<string, { status: number; headers: Record<string, string>; body: string }>,
  slowHead: '<!doctype html><html><head><title>Slow</title></head>',
  slowBody: '<body><h1 data-pz-slot="headline">Analytics for every team</h1></body></html>',
};
