import type { ComponentChildren } from 'preact';
import type { Role } from '../../../../shared/schemas';
import { useCan } from '../../state';

/** Renders its children only when the user's role on this site includes `role` (the edge refuses the rest anyway). */
export function Allowed({ role, children }: { role: Role; children: ComponentChildren }) {
  return useCan(role) ? <>{children}</> : null;
}
