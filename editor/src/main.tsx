/**
 * The visual editor, loaded by the snippet only on a page opened with an admin's edit link
 * (`#pz_edit=<token>`): it mounts in a shadow root of its own, lets the marketer pick elements, make
 * them slots and write variants, and saves the draft through `/v1/editor/*`. Leaving (Escape or Exit)
 * puts the page back as written. Nothing here may throw into the page.
 */
import { render } from 'preact';
import { App } from './components/App';
import { restorePage } from './page-preview';
import { startPicker } from './picker';
import { STYLES } from './styles';
import { dropTokenFromUrl, siteOf, tokenFromHash } from './token';

function mount(edge: string, token: string): void {
  const host = document.createElement('pz-editor');
  host.setAttribute('style', 'all: initial !important; position: fixed !important; inset: 0 !important; z-index: 2147483647 !important; pointer-events: none !important;');
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = STYLES;
  const hoverBox = Object.assign(document.createElement('div'), { className: 'box', hidden: true });
  const pickedBox = Object.assign(document.createElement('div'), { className: 'box picked', hidden: true });
  const ui = document.createElement('div');
  root.append(style, hoverBox, pickedBox, ui);
  document.documentElement.append(host);

  let pick: (el: Element) => void = () => {};
  const exit = () => {
    try {
      picker.stop();
      restorePage();
      render(null, ui);
      host.remove();
    } catch {}
  };
  const picker = startPicker({ host, hoverBox, pickedBox, onPick: (el) => pick(el), onEscape: exit });
  const site = siteOf(token);
  render(
    <App
      conn={site ? { edge, site, token } : null}
      problem={site ? undefined : 'This edit link is damaged: open a new one from the admin.'}
      highlight={(el) => picker.show(el)}
      onPick={(handler) => (pick = handler)}
      exit={exit}
    />,
    ui,
  );
}

try {
  const token = tokenFromHash(location.hash);
  // Out of the address bar at once: the page's own scripts (analytics…) that read the URL later never see it.
  if (token) dropTokenFromUrl();
  const script = document.currentScript as HTMLScriptElement | null;
  const edge = script?.src ? new URL(script.src).origin : location.origin;
  const start = () => {
    try {
      if (token && !document.querySelector('pz-editor')) mount(edge, token);
    } catch {}
  };
  document.readyState === 'loading' ? document.addEventListener('DOMContentLoaded', start) : start();
} catch {}
