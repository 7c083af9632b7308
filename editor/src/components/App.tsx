import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { emptyContent } from '../../../admin/src/content';
import { slotSelector } from '../../../shared/decision/variants';
import { type Content, type Draft, Id } from '../../../shared/schemas';
import { type Connection, loadDraft, saveDraft } from '../api';
import { addSlot, type Edits, hasEdits, noEdits, setVariant, withEdits } from '../edits';
import { contentOf, inferType, labelFor, slotIdFor } from '../infer';
import { showAs } from '../page-preview';
import { checkSelector, robustSelector } from '../selector';
import { type Candidate, SlotMaker } from './SlotMaker';
import { VariantFields } from './VariantFields';

type Notice = { kind: 'ok' | 'error' | 'stale'; text: string } | null;

export interface AppProps {
  conn: Connection | null;
  /** Why the editor cannot work (a damaged link), shown instead of loading. */
  problem?: string;
  /** Draws the box around the element being edited. */
  highlight(el: Element | null): void;
  /** Registers what a pick on the page does. */
  onPick(handler: (el: Element) => void): void;
  exit(): void;
}

const slotElement = (selector: string) => {
  try {
    return document.querySelector(selector);
  } catch {
    return null;
  }
};

export function App({ conn, problem, highlight, onPick, exit }: AppProps) {
  const [base, setBase] = useState<Draft | null>(null);
  const [user, setUser] = useState('');
  const [denied, setDenied] = useState<string | null>(problem ?? null);
  const [edits, setEdits] = useState<Edits>(noEdits);
  const [candidate, setCandidate] = useState<Candidate | null>(null);
  const [selectorError, setSelectorError] = useState<string | null>(null);
  const [current, setCurrent] = useState<string | null>(null);
  const [viewAs, setViewAs] = useState('');
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const [left, setLeft] = useState(false);
  const config = useMemo(() => (base ? withEdits(base.config, edits) : null), [base, edits]);

  const load = async (keepEdits: boolean) => {
    if (!conn) return;
    const answer = await loadDraft(conn);
    if (answer.kind === 'ok') {
      setBase(answer.body.draft);
      setUser(answer.body.user);
      if (!keepEdits) setEdits(noEdits());
      setNotice(keepEdits ? { kind: 'ok', text: `Reloaded revision ${answer.body.draft.revision}; your changes are kept: save again.` } : null);
    } else if (answer.kind === 'unauthorized') setDenied(answer.message);
    else setNotice({ kind: 'error', text: answer.kind === 'error' ? answer.message : 'Could not load the draft.' });
  };
  useEffect(() => void load(false), []);

  // the page shows the chosen segment's variants (drafted here or saved), or itself as written
  useEffect(() => {
    try {
      if (config) showAs(config, viewAs || null);
    } catch {}
  }, [config, viewAs]);

  const pick = useRef<(el: Element) => void>(() => {});
  pick.current = (el) => {
    if (!config || denied) return;
    const existing = config.slots.find((s) => {
      try {
        return Array.from(document.querySelectorAll(slotSelector(s))).includes(el);
      } catch {
        return false;
      }
    });
    setSelectorError(null);
    highlight(el);
    if (existing) {
      setCandidate(null);
      setCurrent(existing.id);
      return;
    }
    setCandidate({ el, selector: robustSelector(el) ?? '', type: inferType(el), id: slotIdFor(el, new Set(config.slots.map((s) => s.id))), label: labelFor(el) });
  };
  useEffect(() => {
    onPick((el) => pick.current(el));
  }, []);

  const make = () => {
    if (!candidate || !config) return;
    const check = checkSelector(candidate.selector);
    if (!check.ok) return setSelectorError(check.reason);
    const id = Id.safeParse(candidate.id.trim());
    if (!id.success) return setSelectorError(`Slot id ${id.error.issues[0]!.message}.`);
    if (config.slots.some((s) => s.id === id.data)) return setSelectorError(`There is a slot "${id.data}" already: choose another id.`);
    const fallback = contentOf(check.element, candidate.type);
    setEdits(addSlot(edits, { id: id.data, label: candidate.label.trim().slice(0, 100) || undefined, selector: candidate.selector.trim(), type: candidate.type, ...(fallback && { default: fallback }) }));
    highlight(check.element);
    setCandidate(null);
    setCurrent(id.data);
  };

  const save = async () => {
    if (!conn || !base || !config) return;
    setBusy(true);
    const answer = await saveDraft(conn, base.revision, config);
    setBusy(false);
    if (answer.kind === 'ok') {
      setBase(answer.body.draft);
      setEdits(noEdits());
      setNotice({ kind: 'ok', text: `Saved to the draft (revision ${answer.body.draft.revision}). Publish it in the admin.` });
    } else if (answer.kind === 'stale') setNotice({ kind: 'stale', text: `Someone saved since (revision ${answer.current.revision}): reload.` });
    else if (answer.kind === 'unauthorized') setDenied(answer.message);
    else setNotice({ kind: 'error', text: answer.message });
  };

  const slot = config?.slots.find((s) => s.id === current);
  const content: Content | undefined = slot && viewAs ? (config!.variants[viewAs]?.[slot.id] ?? slot.default ?? emptyContent(slot.type)) : undefined;

  return (
    <aside class={left ? 'panel left' : 'panel'} aria-label="Visual editor">
      <header>
        <strong>Visual editor</strong>
        <span class="actions">
          <button type="button" class="secondary" onClick={() => setLeft(!left)} aria-label={left ? 'Move the panel right' : 'Move the panel left'}>
            {left ? '→' : '←'}
          </button>
          <button type="button" class="secondary" onClick={exit} title="Escape">
            Exit
          </button>
        </span>
      </header>
      {denied ? (
        <p class="error" role="alert">
          {denied} The page is shown as written.
        </p>
      ) : !config ? (
        <p class="muted">{notice?.text ?? 'Loading the draft…'}</p>
      ) : (
        <>
          <p class="muted">
            {user} · draft revision {base!.revision}. Click an element on the page (or Tab to it and press Enter).
          </p>
          {candidate && (
            <SlotMaker
              candidate={candidate}
              error={selectorError}
              onChange={(c) => (setCandidate(c), setSelectorError(null))}
              onMake={make}
              onCancel={() => (setCandidate(null), highlight(null))}
            />
          )}
          <label>
            View and edit as
            <select value={viewAs} onChange={(e) => setViewAs(e.currentTarget.value)}>
              <option value="">Default (the page as written)</option>
              {config.segments.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          {config.slots.length > 0 && (
            <label>
              Slot
              <select
                value={current ?? ''}
                onChange={(e) => {
                  const id = e.currentTarget.value;
                  setCurrent(id || null);
                  const s = config.slots.find((x) => x.id === id);
                  highlight(s ? slotElement(slotSelector(s)) : null);
                }}
              >
                <option value="">(pick one)</option>
                {config.slots.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.label ?? s.id} ({s.type})
                  </option>
                ))}
              </select>
            </label>
          )}
          {slot && !viewAs && <p class="muted">Choose a segment above to write what it sees in “{slot.label ?? slot.id}”.</p>}
          {slot && content && (
            <fieldset class="card">
              <legend>
                {slot.label ?? slot.id} for {config.segments.find((s) => s.id === viewAs)?.name}
              </legend>
              <VariantFields content={content} onChange={(c) => setEdits(setVariant(edits, viewAs, slot.id, c))} />
              <p class="muted">Tokens such as {'{{account.name|your team}}'} show their fallback here.</p>
            </fieldset>
          )}
          {notice && (
            <div class={notice.kind === 'ok' ? 'ok' : 'error'} role={notice.kind === 'ok' ? 'status' : 'alert'}>
              {notice.text}
              {notice.kind === 'stale' && (
                <button type="button" onClick={() => void load(true)}>
                  Reload
                </button>
              )}
            </div>
          )}
          <div class="actions">
            <button type="button" disabled={busy || !hasEdits(edits)} onClick={() => void save()}>
              Save to draft
            </button>
          </div>
        </>
      )}
    </aside>
  );
}
