import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// The bench's measurements inside workerd (bench/workerd/), run by bench/run.mjs: not part of `npm test`.
export default defineConfig({
  plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' } })],
  test: { name: 'bench-workerd', include: ['bench/workerd/**/*.bench.ts'], testTimeout: 300_000, fileParallelism: false },
});
