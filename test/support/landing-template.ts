/**
 * A landing page nobody on the team wrote: Start Bootstrap's "Creative" theme (startbootstrap-creative,
 * MIT, © Start Bootstrap LLC; its LICENSE and the credits in its CSS and JS headers are served as
 * they ship), installed from npm as a devDependency. Served on 127.0.0.1 with `head` (the tag) put in
 * its <head>. The theme loads Bootstrap and SimpleLightbox from CDNs; the tests run offline, so
 * those come from their npm packages (bootstrap 5.2.3 and simple-lightbox 2.1.0, the versions it names, both MIT) on the same server, and the
 * remote stylesheets (Google fonts, Bootstrap icons) and the remote SB Forms script are left out.
 */
import { readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { root } from './harness.mjs';
import { type Handler, serve, type TestServer } from './browser';

const THEME = join(root, 'node_modules/startbootstrap-creative/dist');
const VENDOR: Record<string, string> = {
  '/vendor/bootstrap.bundle.min.js': 'node_modules/bootstrap/dist/js/bootstrap.bundle.min.js',
  '/vendor/simpleLightbox.min.js': 'node_modules/simple-lightbox/dist/simpleLightbox.min.js',
  '/vendor/simpleLightbox.min.css': 'node_modules/simple-lightbox/dist/simpleLightbox.min.css',
  '/LICENSE': 'node_modules/startbootstrap-creative/LICENSE',
};
const TYPES: Record<string, string> = { '.js': 'application/javascript', '.css': 'text/css', '.jpg': 'image/jpeg', '.ico': 'image/x-icon', '': 'text/plain' };

/** The theme's index.html, offline, with `head` right after its <title>. */
export function landingHtml(head: string): string {
  return readFileSync(join(THEME, 'index.html'), 'utf8')
    .replace(/\s*<link href="https:\/\/(fonts\.googleapis\.com|cdn\.jsdelivr\.net\/npm\/bootstrap-icons)[^>]*>/g, '')
    .replace(/https:\/\/cdn\.jsdelivr\.net\/npm\/bootstrap@[\d.]+\/dist\/js\/bootstrap\.bundle\.min\.js/, '/vendor/bootstrap.bundle.min.js')
    .replace(/https:\/\/cdnjs\.cloudflare\.com\/ajax\/libs\/SimpleLightbox\/[\d.]+\/simpleLightbox\.min\.(js|css)/g, '/vendor/simpleLightbox.min.$1')
    .replace(/\s*<script src="https:\/\/cdn\.startbootstrap\.com\/sb-forms-latest\.js"><\/script>/, '')
    .replace('</title>', `</title>\n${head}`);
}

const file = (path: string): Handler => (_req, res) => res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(readFileSync(path));

/** Serves the theme at `/` with whatever `page()` returns (so a test can paste a newer tag), and its assets. */
export function serveLanding(page: () => string): Promise<TestServer> {
  return serve({ '/': (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page()) }, (path) => {
    if (VENDOR[path]) return file(join(root, VENDOR[path]));
    const local = normalize(join(THEME, path));
    return local.startsWith(THEME + '/') && /^\/(css|js|assets)\//.test(path) ? file(local) : undefined;
  });
}
