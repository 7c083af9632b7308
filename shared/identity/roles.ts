import type { Grant, Role, Scope } from '../schemas/identity';

const RANK: Record<Role, number> = { viewer: 1, editor: 2, publisher: 3, owner: 4 };

/** The caller's strongest role on `site`: its grants for that site and for every site (`*`). */
export function roleOn(grants: readonly Grant[], site: Scope): Role | null {
  let best: Role | null = null;
  for (const g of grants) {
    if (g.site !== site && g.site !== '*') continue;
    if (!best || RANK[g.role] > RANK[best]) best = g.role;
  }
  return best;
}

/** Whether `role` includes what `needed` may do. */
export const includes = (role: Role | null, needed: Role): boolean => role !== null && RANK[role] >= RANK[needed];

export const allows = (grants: readonly Grant[], site: Scope, needed: Role): boolean => includes(roleOn(grants, site), needed);
