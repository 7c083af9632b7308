/** A site goal as the goals form edits it, and conversion to and from the config's Goal. */
import type { Goal } from '../../shared/schemas';

export interface GoalDraft {
  /** A stable key for the list while goals are added and removed. */
  key: number;
  id: string;
  name: string;
  kind: 'url' | 'element';
  /** one per line */
  patterns: string;
}

let key = 0;
export const emptyGoal = (): GoalDraft => ({ key: ++key, id: '', name: '', kind: 'url', patterns: '' });
export const toDraft = (g: Goal): GoalDraft => ({ key: ++key, id: g.id, name: g.name, kind: g.urlPatterns ? 'url' : 'element', patterns: (g.urlPatterns ?? []).join('\n') });
export const fromDraft = (g: GoalDraft): Goal => ({
  id: g.id.trim(),
  name: g.name.trim(),
  ...(g.kind === 'url' && { urlPatterns: g.patterns.split('\n').map((p) => p.trim()).filter(Boolean) }),
});
