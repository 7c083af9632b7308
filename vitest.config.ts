import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// The measurement store's schema, applied to each test run's local D1 by test/worker/support/migrate.ts.
const migrations = await readD1Migrations('./migrations');

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            // The admin secrets; production sets them with `wrangler secret put`, `npm start` in .dev.vars.
            miniflare: {
              bindings: { ADMIN_TOKEN: 'test-admin-token', PREVIEW_SECRET: 'test-preview-secret', TEST_MIGRATIONS: migrations },
            },
          }),
        ],
        // CI machines have 2 cores shared with workerd: give integration tests room beyond vitest's 5 s default.
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          setupFiles: ['test/worker/support/migrate.ts'],
          testTimeout: 30_000,
        },
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
