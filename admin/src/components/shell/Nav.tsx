export const VIEWS = [
  { id: 'site', label: 'Site & tag' },
  { id: 'segments', label: 'Segments' },
  { id: 'slots', label: 'Slots' },
  { id: 'variants', label: 'Variants' },
  { id: 'accounts', label: 'Accounts' },
  { id: 'preview', label: 'Preview' },
  { id: 'versions', label: 'Versions' },
  { id: 'report', label: 'Report' },
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];

export function Nav({ current }: { current: ViewId }) {
  return (
    <nav class="sidenav" aria-label="Admin sections">
      <ul>
        {VIEWS.map((v) => (
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
