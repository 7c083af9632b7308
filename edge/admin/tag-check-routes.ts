import { Hono } from 'hono';
import type { TagCheck } from '../../shared/schemas';
import type { AdminEnv } from '../env';
import { originAllowed } from '../http/origin';
import type { TagSighting } from '../tag-check/tag-table';
import { siteStore, unknownSite } from './common';
import { can } from './permissions';
import { SNIPPET_VERSION } from '../../build/snippet';

/** Is the tag live? What the edge saw of page views per allowed origin, and what it refused. */
export const tagCheckRoutes = new Hono<AdminEnv>();

const info = (s: TagSighting) => ({ origin: s.origin, at: new Date(s.at).toISOString(), path: s.path, snippet: s.snippet, tag: s.tag });

tagCheckRoutes.get('/sites/:site/tag-check', can('viewer'), async (c) => {
  const site = c.req.param('site');
  const data = await siteStore(c.env, site).tagCheck(site);
  if (!data) return unknownSite(c, site);
  const seen = data.sightings.filter((s) => s.status === 'seen');
  const matches = (origin: string, pattern: string) => originAllowed(origin, 'https://edge.invalid/', [pattern]);
  const body: TagCheck = {
    origins: data.allowedOrigins.map((pattern) => {
      const last = seen.find((s) => matches(s.origin, pattern));
      return {
        origin: pattern,
        lastSeen: last ? info(last) : null,
        tagCurrent: last ? last.tag !== null && data.tagVersions.includes(last.tag) : null,
        snippetCurrent: last ? last.snippet === SNIPPET_VERSION : null,
      };
    }),
    refused: data.sightings.filter((s) => s.status === 'refused').map(info),
    other: seen.filter((s) => !data.allowedOrigins.some((p) => matches(s.origin, p))).map(info),
  };
  return c.json(body);
});
