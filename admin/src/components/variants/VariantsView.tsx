import { useState } from 'preact/hooks';
import { summary } from '../../content';
import { useAppState, useCan } from '../../state';
import { byPriority } from '../../segments';
import { VariantEditor } from './VariantEditor';
import { ViewHeading } from '../common/ViewHeading';

/** The segment × slot grid; a cell opens its variant in the editor (for editors; others read it). */
export function VariantsView() {
  const { site } = useAppState();
  const editable = useCan('editor');
  const [cell, setCell] = useState<{ segment: string; slot: string } | null>(null);
  const config = site!.draft.config;
  const segments = byPriority(config.segments);
  const segment = cell && config.segments.find((s) => s.id === cell.segment);
  const slot = cell && config.slots.find((s) => s.id === cell.slot);

  return (
    <section>
      <ViewHeading intro="What each segment sees in each slot. An empty cell keeps the page as written.">Variants</ViewHeading>
      <div class="table-scroll">
        <table class="table grid">
          <caption class="visually-hidden">Variants by segment and slot</caption>
          <thead>
            <tr>
              <th scope="col">Segment</th>
              {config.slots.map((s) => (
                <th key={s.id} scope="col">
                  {s.label ?? s.id}
                  <span class="muted id">{s.type}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {segments.map((seg) => (
              <tr key={seg.id}>
                <th scope="row">{seg.name}</th>
                {config.slots.map((s) => {
                  const content = config.variants[seg.id]?.[s.id];
                  const selected = cell?.segment === seg.id && cell.slot === s.id;
                  return (
                    <td key={s.id} class={selected ? 'selected' : ''}>
                      {!editable ? (
                        <span class={content ? 'cell' : 'cell empty'}>{content ? summary(content) : '—'}</span>
                      ) : (
                        <button
                          type="button"
                          class={content ? 'cell' : 'cell empty'}
                          aria-pressed={selected}
                          aria-label={`${content ? 'Edit' : 'Add'} ${seg.name} variant of ${s.label ?? s.id}`}
                          onClick={() => setCell({ segment: seg.id, slot: s.id })}
                        >
                          {content ? summary(content) : '+ Add'}
                        </button>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {segments.length === 0 && <p class="muted">Create a segment first.</p>}
      {segment && slot && <VariantEditor key={`${segment.id}/${slot.id}`} segment={segment} slot={slot} onClose={() => setCell(null)} />}
    </section>
  );
}
