import type { Role } from '../../../../shared/schemas';
import { includes } from '../../../../shared/identity/roles';
import { useAppState } from '../../state';

/** The views, each with the role it needs to be shown at all (viewers read every other one). */
export const VIEWS = [
  { id: 'site', label: 'Site & tag', role: 'viewer' },
  { id: 'segments', label: 'Segments', role: 'viewer' },
  { id: 'slots', label: 'Slots', role: 'viewer' },
  { id: 'variants', label: 'Variants', role: 'viewer' },
  { id: 'accounts', label: 'Accounts', role: 'viewer' },
  { id: 'preview', label: 'Preview', role: 'editor' },
  { id: 'versions', label: 'Versions', role: 'viewer' },
  { id: 'report', label: 'Report', role: 'viewer' },
  { id: 'team', label: 'Team', role: 'owner' },
  { id: 'sites', label: 'Sites', role: 'viewer' },
] as const satisfies readonly { id: string; label: string; role: Role }[];
export type ViewId = (typeof VIEWS)[number]['id'];

/** The views the signed-in user's role may open. */
export function useViews() {
  const { me } = useAppState();
  return VIEWS.filter((v) => includes(me?.role ?? null, v.role));
}

export function Nav({ current }: { current: ViewId }) {
  return (
    <nav class="sidenav" aria-label="Admin sections">
      <ul>
        {useViews().map((v) => (
          <li key={v.id}>
            <a href={`#/${v.id}`} aria-current={v.id === current ? 'page' : undefined}>
              {v.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
