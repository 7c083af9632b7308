/**
 * A 429's or 503's Retry-After (RFC 9110: seconds, or an HTTP date), in whole seconds from 1 to `max`;
 * absent or unreadable: `fallback`. Every caller of a rate-limited API reads it here (enrichment
 * providers, Slack and alert webhooks, HubSpot, Salesforce), each with the wait its API implies.
 */
export function retryAfterSeconds(value: string | null, fallback: number, max = 3600, now = Date.now()): number {
  const clamp = (s: number) => Math.min(max, Math.max(1, Math.ceil(s)));
  if (value === null || value.trim() === '') return fallback;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return clamp(Number(value));
  const at = Date.parse(value);
  return Number.isNaN(at) ? fallback : clamp((at - now) / 1000);
}
