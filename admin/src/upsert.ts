/** Replaces the item that had id `originalId` (when it is still there) with `next`, else appends `next`. */
export function upsertById<T extends { id: string }>(list: readonly T[], originalId: string | undefined, next: T): T[] {
  return originalId && list.some((x) => x.id === originalId) ? list.map((x) => (x.id === originalId ? next : x)) : [...list, next];
}

/** Where `upsertById` puts the item: its index, for mapping validation issue paths back to the form. */
export function upsertIndex<T extends { id: string }>(list: readonly T[], originalId: string | undefined): number {
  const index = originalId ? list.findIndex((x) => x.id === originalId) : -1;
  return index < 0 ? list.length : index;
}
