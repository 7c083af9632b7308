/**
 * The key signed ABM links are made and checked with: LINK_SECRET (`wrangler secret put LINK_SECRET`),
 * else the admin token, so local development works out of the box. Set LINK_SECRET in production:
 * links signed with the fallback stop working when the admin token is rotated. None: no link verifies.
 */
export const linkSecret = (env: { LINK_SECRET?: string; ADMIN_TOKEN?: string }): string | null => env.LINK_SECRET || env.ADMIN_TOKEN || null;
