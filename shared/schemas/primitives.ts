import { z } from 'zod';

/** A registrable company domain such as `acme.com`: lower-cased, no scheme, no path. */
export const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/, 'must be a domain such as acme.com');
export type Domain = z.infer<typeof Domain>;

/** Ids used in URLs and KV keys: short, URL-safe. */
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, - or _');
export type Id = z.infer<typeof Id>;

/**
 * http(s) URL or a site-relative path; never javascript:, data: or other schemes. Browsers drop tabs and
 * line breaks from URLs and read `\` as `/`, so `/\evil.example` and `/<tab>/evil.example` would leave the
 * site like `//evil.example`: a path's second character may be neither.
 */
export const SafeUrl = z
  .string()
  .max(2048)
  .refine((u) => /^(https?:\/\/|\/(?![\/\\])|#)/i.test(u.replace(/[\t\n\r]/g, '').trim()), 'must be an http(s) URL or a path starting with /');

export const IntentStage = z.enum(['unaware', 'aware', 'evaluating', 'committed', 'customer']);
export type IntentStage = z.infer<typeof IntentStage>;
