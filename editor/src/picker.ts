/**
 * Picking elements on the page: an overlay box follows the pointer (the page's own styles are never
 * touched), a click or Enter on a focused element picks it (the click does not reach the page: links
 * do not navigate while editing), Escape leaves. Events from the editor's own shadow host are ignored.
 */
export interface PickerHooks {
  host: Element;
  hoverBox: HTMLElement;
  pickedBox: HTMLElement;
  onPick(el: Element): void;
  onEscape(): void;
}

const place = (box: HTMLElement, el: Element | null) => {
  if (!el || !el.isConnected) return void (box.hidden = true);
  const r = el.getBoundingClientRect();
  Object.assign(box.style, { top: `${r.top}px`, left: `${r.left}px`, width: `${r.width}px`, height: `${r.height}px` });
  box.hidden = false;
};

/** Starts picking; returns what stops it (and hides the boxes). */
export function startPicker(hooks: PickerHooks): { stop(): void; show(el: Element | null): void } {
  let hovered: Element | null = null;
  let picked: Element | null = null;
  const ours = (e: Event) => e.composedPath().includes(hooks.host);
  const target = (e: Event) => {
    const el = e.target instanceof Element ? e.target : null;
    return el?.closest('a,button') ?? el;
  };
  const redraw = () => {
    place(hooks.hoverBox, hovered);
    place(hooks.pickedBox, picked);
  };
  const listeners: [string, (e: any) => void][] = [
    ['mouseover', (e: MouseEvent) => ((hovered = ours(e) ? null : target(e)), redraw())],
    [
      'click',
      (e: MouseEvent) => {
        if (ours(e)) return;
        e.preventDefault();
        e.stopImmediatePropagation();
        const el = target(e);
        if (el && el !== document.documentElement && el !== document.body) hooks.onPick(el);
      },
    ],
    [
      'keydown',
      (e: KeyboardEvent) => {
        if (e.key === 'Escape') return hooks.onEscape();
        const focused = document.activeElement;
        if (e.key === 'Enter' && focused && focused !== document.body && focused !== hooks.host) {
          e.preventDefault();
          hooks.onPick(focused);
        }
      },
    ],
    ['scroll', redraw],
    ['resize', redraw],
  ];
  // never throw into the page's own event dispatch
  const guarded = listeners.map(([type, fn]): [string, (e: any) => void] => [
    type,
    (e) => {
      try {
        fn(e);
      } catch {}
    },
  ]);
  for (const [type, fn] of guarded) (type === 'resize' ? window : document).addEventListener(type, fn, true);
  return {
    stop() {
      for (const [type, fn] of guarded) (type === 'resize' ? window : document).removeEventListener(type, fn, true);
      hooks.hoverBox.hidden = hooks.pickedBox.hidden = true;
    },
    show(el) {
      picked = el;
      redraw();
    },
  };
}
