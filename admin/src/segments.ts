import type { Segment } from '../../shared/schemas';

/** Segments in the order they win (lower priority first; ties keep config order). */
export const byPriority = (segments: readonly Segment[]) => [...segments].sort((a, b) => a.priority - b.priority);
