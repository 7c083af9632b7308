import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            // The admin secrets; production sets them with `wrangler secret put`, `npm start` in .dev.vars.
            miniflare: { bindings: { ADMIN_TOKEN: 'test-admin-token', PREVIEW_SECRET: 'test-preview-secret' } },
          }),
        ],
        // CI machines have 2 cores shared with workerd: give integration tests room beyond vitest's 5 s default.
        test: { name: 'worker', include: ['test/worker/**/*.test.ts'], testTimeout: 30_000 },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
