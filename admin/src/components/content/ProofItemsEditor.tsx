import type { ProofPoint } from '../../../../shared/schemas';
import type { Scoped } from '../../issues';
import { Field } from '../common/Field';

interface Props {
  items: ProofPoint[];
  onChange: (items: ProofPoint[]) => void;
  issues: Scoped;
}

const FIELDS: { key: keyof ProofPoint; label: string; hint?: string }[] = [
  { key: 'logo', label: 'Logo address', hint: 'https:// or a path' },
  { key: 'quote', label: 'Quote' },
  { key: 'author', label: 'Author' },
  { key: 'stat', label: 'Stat', hint: 'e.g. 3×' },
  { key: 'label', label: 'Stat label', hint: 'e.g. faster month-end close' },
];

/** A list of proof points (1 to 12), each with optional logo, quote, author, stat and label. */
export function ProofItemsEditor({ items, onChange, issues }: Props) {
  const set = (i: number, patch: Partial<ProofPoint>) => onChange(items.map((it, j) => (j === i ? { ...it, ...patch } : it)));
  const move = (i: number, d: number) => {
    const next = [...items];
    [next[i], next[i + d]] = [next[i + d]!, next[i]!];
    onChange(next);
  };
  const listError = issues.exact('items');
  return (
    <div class="proof-items">
      {listError && <p class="error">{listError}</p>}
      {items.map((item, i) => (
        <fieldset key={i} class="proof-item">
          <legend>Proof point {i + 1}</legend>
          <div class="grid-2">
            {FIELDS.map((f) => (
              <Field key={f.key} label={f.label} error={issues.at(`items.${i}.${f.key}`)} hint={f.hint}>
                {(p) =>
                  f.key === 'quote' ? (
                    <textarea {...p} rows={2} value={item.quote ?? ''} onInput={(e) => set(i, { quote: e.currentTarget.value })} />
                  ) : (
                    <input {...p} value={item[f.key] ?? ''} onInput={(e) => set(i, { [f.key]: e.currentTarget.value })} />
                  )
                }
              </Field>
            ))}
          </div>
          <div class="actions">
            <button type="button" class="secondary" disabled={i === 0} aria-label={`Move proof point ${i + 1} up`} onClick={() => move(i, -1)}>
              ↑ Up
            </button>
            <button type="button" class="secondary" disabled={i === items.length - 1} aria-label={`Move proof point ${i + 1} down`} onClick={() => move(i, 1)}>
              ↓ Down
            </button>
            <button type="button" class="secondary" disabled={items.length === 1} aria-label={`Remove proof point ${i + 1}`} onClick={() => onChange(items.filter((_, j) => j !== i))}>
              Remove
            </button>
          </div>
        </fieldset>
      ))}
      <button type="button" class="secondary" disabled={items.length >= 12} onClick={() => onChange([...items, { quote: '', author: '' }])}>
        Add proof point
      </button>
    </div>
  );
}
