import type { SiteConfig } from '../schemas';
import { globMatch } from '../rules/glob';

/** The URL goals of the site whose patterns match this page's path. */
export function urlGoalsReached(config: Pick<SiteConfig, 'goals'>, path: string): string[] {
  return (config.goals ?? []).filter((g) => g.urlPatterns?.some((p) => globMatch(p, path))).map((g) => g.id);
}
