/** The editor's stylesheet, inside its shadow root: the page's CSS cannot reach in, and this cannot leak out. */
export const STYLES = `
:host { all: initial; }
* { box-sizing: border-box; }
.box { position: fixed; pointer-events: none; border: 2px dashed #2563eb; background: rgba(37, 99, 235, .08); z-index: 1; }
.box.picked { border-style: solid; border-color: #db2777; background: rgba(219, 39, 119, .08); }
.panel { position: fixed; top: 12px; right: 12px; width: 360px; max-height: calc(100vh - 24px); overflow: auto; pointer-events: auto; z-index: 2;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827; background: #fff; border: 1px solid #d1d5db;
  border-radius: 10px; box-shadow: 0 10px 30px rgba(0, 0, 0, .25); padding: 12px; text-align: left; }
.panel.left { right: auto; left: 12px; }
header .actions { margin: 0; }
header { display: flex; justify-content: space-between; align-items: center; margin-bottom: 8px; }
h2 { font-size: 15px; margin: 0 0 6px; }
label { display: block; margin: 8px 0; font-weight: 600; font-size: 13px; }
input, select, textarea { display: block; width: 100%; margin-top: 3px; font: 13px/1.3 ui-monospace, monospace; padding: 6px; border: 1px solid #9ca3af; border-radius: 6px; background: #fff; color: #111827; }
select { font-family: inherit; }
.card { border: 1px solid #e5e7eb; border-radius: 8px; padding: 8px 10px; margin: 8px 0; }
legend { font-weight: 700; padding: 0 4px; }
button { font: 600 13px system-ui, sans-serif; padding: 6px 12px; border-radius: 6px; border: 1px solid #1d4ed8; background: #2563eb; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #1f2937; border-color: #9ca3af; }
button:disabled { opacity: .5; cursor: default; }
button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid #f59e0b; outline-offset: 1px; }
.actions { display: flex; gap: 8px; margin-top: 8px; }
.muted { color: #4b5563; font-size: 12px; margin: 6px 0; }
.error { color: #991b1b; background: #fef2f2; border: 1px solid #fecaca; border-radius: 6px; padding: 6px 8px; margin: 6px 0; }
.ok { color: #065f46; background: #ecfdf5; border: 1px solid #a7f3d0; border-radius: 6px; padding: 6px 8px; margin: 6px 0; }
.error button, .ok button { margin-left: 8px; }
`;
