import type { SiteConfig } from '../schemas';
import { sameJson } from './canonical-json';

interface Changes {
  added: string[];
  removed: string[];
  changed: string[];
  /** Same items in a different order (order breaks priority ties and orders slot changes). */
  reordered: boolean;
}

function compare<T>(before: ReadonlyMap<string, T>, after: ReadonlyMap<string, T>): Changes {
  const changes: Changes = { added: [], removed: [], changed: [], reordered: false };
  for (const [id, value] of after) {
    if (!before.has(id)) changes.added.push(id);
    else if (!sameJson(before.get(id), value)) changes.changed.push(id);
  }
  for (const id of before.keys()) if (!after.has(id)) changes.removed.push(id);
  const kept = (ids: Iterable<string>, other: ReadonlyMap<string, T>) => [...ids].filter((id) => other.has(id)).join('\n');
  changes.reordered = kept(before.keys(), after) !== kept(after.keys(), before);
  return changes;
}

const byId = <T extends { id: string }>(items: readonly T[]) => new Map(items.map((i) => [i.id, i]));

/** Variants keyed `segment/slot`, so moving one slot's content counts as one change. */
function variantMap(config: SiteConfig): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (const [segment, bySlot] of Object.entries(config.variants))
    for (const [slot, content] of Object.entries(bySlot)) map.set(`${segment}/${slot}`, content);
  return map;
}

function names(ids: string[]): string {
  const shown = ids.slice(0, 3).join(', ');
  return ids.length > 3 ? `${shown}, +${ids.length - 3} more` : shown;
}

function describe(label: string, c: Changes): string {
  const parts = [
    c.added.length && `+${c.added.length} added (${names(c.added)})`,
    c.removed.length && `-${c.removed.length} removed (${names(c.removed)})`,
    c.changed.length && `~${c.changed.length} changed (${names(c.changed)})`,
    c.reordered && 'reordered',
  ].filter(Boolean);
  return `${label}: ${parts.length ? parts.join(', ') : 'no change'}`;
}

/**
 * What a publish changes, for the version list: e.g.
 * `segments: +1 added (webinar), ~2 changed (customers, fintech); slots: no change; variants: ~3 changed (…)`.
 * The config's `version` is not content and is ignored.
 */
export function diffSummary(before: SiteConfig | null, after: SiteConfig): string {
  if (!before) return `first version: ${after.segments.length} segments, ${after.slots.length} slots`;
  const sections = [
    describe('segments', compare(byId(before.segments), byId(after.segments))),
    describe('slots', compare(byId(before.slots), byId(after.slots))),
    describe('variants', { ...compare(variantMap(before), variantMap(after)), reordered: false }), // a record: order is meaningless
  ];
  const settings = (['name', 'allowedOrigins', 'pageGroups', 'activityRetentionDays', 'alerts'] as const).filter((k) => !sameJson(before[k], after[k]));
  if (settings.length) sections.push(`settings: ${settings.join(', ')} changed`);
  return sections.join('; ');
}

/** Whether two configs hold the same content, whatever their version numbers and key order. */
export function sameContent(a: SiteConfig, b: SiteConfig): boolean {
  return sameJson({ ...a, version: 0 }, { ...b, version: 0 });
}
