import { useState } from 'preact/hooks';
import type { SiteConfig } from '../../../../shared/schemas';
import { slotSelector } from '../../../../shared/decision/variants';
import { summary } from '../../content';
import { saveQuick, useAppState } from '../../state';
import { Allowed } from '../common/Allowed';
import { ConfirmButton } from '../common/ConfirmButton';
import { EditorLinkCard } from './EditorLinkCard';
import { SlotForm } from './SlotForm';
import { ViewHeading } from '../common/ViewHeading';
import { TableHead } from '../common/TableHead';

function remove(id: string) {
  return (c: SiteConfig): SiteConfig => ({
    ...c,
    slots: c.slots.filter((s) => s.id !== id),
    variants: Object.fromEntries(Object.entries(c.variants).map(([seg, bySlot]) => [seg, Object.fromEntries(Object.entries(bySlot).filter(([slot]) => slot !== id))])),
  });
}

/** The places on the page a segment can change. */
export function SlotsView() {
  const { site, busy } = useAppState();
  const [editing, setEditing] = useState<{ id: string | null } | null>(null);
  const { slots } = site!.draft.config;
  return (
    <section>
      <ViewHeading intro={<>Mark an element with <code>data-pz-slot="id"</code>, or give a CSS selector for pages you cannot edit.</>}>Slots</ViewHeading>
      <Allowed role="editor">
        <EditorLinkCard />
      </Allowed>
      {editing ? (
        <SlotForm key={editing.id ?? '(new)'} slot={slots.find((s) => s.id === editing.id)} onClose={() => setEditing(null)} />
      ) : (
        <Allowed role="editor">
          <button type="button" onClick={() => setEditing({ id: null })}>
            New slot
          </button>
        </Allowed>
      )}
      <table class="table">
        <TableHead caption="Slots" columns={['Slot', 'Element', 'Type', 'Default content']} />
        <tbody>
          {slots.map((s) => (
            <tr key={s.id}>
              <th scope="row">
                {s.label ?? s.id}
                <span class="muted id">{s.id}</span>
              </th>
              <td>
                <code>{slotSelector(s)}</code>
              </td>
              <td>{s.type}</td>
              <td class="muted">{s.default ? summary(s.default) : '—'}</td>
              <td class="row-actions">
                <Allowed role="editor">
                  <button type="button" class="secondary" aria-label={`Edit slot ${s.label ?? s.id}`} onClick={() => setEditing({ id: s.id })}>
                    Edit
                  </button>
                  <ConfirmButton
                    label={`Delete slot ${s.label ?? s.id}`}
                    question={`Delete ${s.label ?? s.id} and its variants?`}
                    confirmLabel="Delete"
                    disabled={busy}
                    onConfirm={() => void saveQuick(remove(s.id), `Deleted slot ${s.id} from the draft.`)}
                  >
                    Delete
                  </ConfirmButton>
                </Allowed>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
