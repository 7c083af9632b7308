import type { Content, SiteConfig, Slot } from '../../shared/schemas';

/**
 * What the editor changed and has not saved: slots made and variants written. Kept apart from the
 * draft it was based on, so that after a 409 the fresh draft can be loaded and the edits put on it again.
 */
export interface Edits {
  slots: Slot[];
  variants: Record<string, Record<string, Content>>;
}

export const noEdits = (): Edits => ({ slots: [], variants: {} });

export const hasEdits = (e: Edits) => e.slots.length > 0 || Object.values(e.variants).some((v) => Object.keys(v).length > 0);

/** The draft with the edits on it: a slot made here replaces a draft slot of the same id. */
export function withEdits(config: SiteConfig, edits: Edits): SiteConfig {
  const ids = new Set(edits.slots.map((s) => s.id));
  const variants: SiteConfig['variants'] = { ...config.variants };
  for (const [segment, bySlot] of Object.entries(edits.variants)) variants[segment] = { ...variants[segment], ...bySlot };
  return { ...config, slots: [...config.slots.filter((s) => !ids.has(s.id)), ...edits.slots], variants };
}

export const addSlot = (edits: Edits, slot: Slot): Edits => ({ ...edits, slots: [...edits.slots.filter((s) => s.id !== slot.id), slot] });

export const setVariant = (edits: Edits, segment: string, slot: string, content: Content): Edits => ({
  ...edits,
  variants: { ...edits.variants, [segment]: { ...edits.variants[segment], [slot]: content } },
});
