import type { Issue } from './api';

/** A textarea's entries, one per line: trimmed, blank lines dropped. */
export const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** The allowed-origins field's error: an origin's issue (at `allowedOrigins.<n>`) names its line. */
export function originError(issues: readonly Issue[]): string | undefined {
  const perLine = issues
    .filter((i) => /^allowedOrigins\.\d+$/.test(i.path))
    .map((i) => `Line ${Number(i.path.split('.')[1]) + 1}: ${i.message}`)
    .join(' ');
  return perLine || issues.find((i) => i.path === 'allowedOrigins')?.message;
}
