import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// The bench's measurements inside workerd (bench/workerd/), run by bench/run.mjs: not part of `npm test`.
export default defineConfig({
  // LINK_SECRET: the page views below come through signed ABM links, so they count for their accounts
  plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' }, miniflare: { bindings: { LINK_SECRET: 'bench-link-secret' } } })],
  test: { name: 'bench-workerd', include: ['bench/workerd/**/*.bench.ts'], testTimeout: 300_000, fileParallelism: false },
});
