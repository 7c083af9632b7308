/**
 * The key the edge signs with: ABM links (shared/links/signed-link.ts) and measurement tokens
 * (shared/measure/measure-token.ts), each with its own message prefix. LINK_SECRET
 * (`wrangler secret put LINK_SECRET`), else the admin token, so local development works out of the box.
 * Set LINK_SECRET in production: links signed with the fallback stop working when the admin token is
 * rotated. None: no link verifies and no event counts.
 */
export const signingSecret = (env: { LINK_SECRET?: string; ADMIN_TOKEN?: string }): string | null => env.LINK_SECRET || env.ADMIN_TOKEN || null;
