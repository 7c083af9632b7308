import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// The measurement store's schema, applied to each test run's local D1 by test/worker/support/migrate.ts.
const migrations = await readD1Migrations('./migrations');

// The stand-in Access team domain (test/support/access-server.ts) listens here; the Worker learns it as ACCESS_TEAM_DOMAIN.
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
process.env.PZ_ACCESS_PORT ??= String(await freePort());
// The stand-in customer origin for edge mode (test/support/origin-server.ts).
process.env.PZ_ORIGIN_PORT ??= String(await freePort());
// The stand-in enrichment providers (test/support/enrichment-server.ts).
process.env.PZ_ENRICH_PORT ??= String(await freePort());
// The stand-in Slack incoming webhooks and JSON webhook receiver of sales alerts (test/support/hooks-server.ts).
process.env.PZ_HOOKS_PORT ??= String(await freePort());
const enrichmentServer = `http://127.0.0.1:${process.env.PZ_ENRICH_PORT}`;
// The stand-in HubSpot (test/support/hubspot-server.ts).
process.env.PZ_HUBSPOT_PORT ??= String(await freePort());
// The stand-in Salesforce org (test/support/salesforce-server.ts).
process.env.PZ_SALESFORCE_PORT ??= String(await freePort());
const accessTeamDomain = `http://127.0.0.1:${process.env.PZ_ACCESS_PORT}`;

export default defineConfig({
  test: {
    projects: [
      {
        // PZ_SEED / PZ_PATH replay a failing robustness property (test/worker/support/robustness.ts): vite hands
        // variables with these prefixes to the tests as import.meta.env, the only way into workerd.
        envPrefix: ['VITE_', 'PZ_'],
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            // The admin secrets; production sets them with `wrangler secret put`, `npm start` in .dev.vars.
            miniflare: {
              bindings: {
                ADMIN_TOKEN: 'test-admin-token',
                PREVIEW_SECRET: 'test-preview-secret',
                LINK_SECRET: 'test-link-secret',
                TEST_MIGRATIONS: migrations,
                ACCESS_TEAM_DOMAIN: accessTeamDomain,
                ACCESS_AUD: 'test-access-aud-0123456789abcdef',
                IPINFO_TOKEN: 'test-ipinfo-token',
                CLEARBIT_KEY: 'test-clearbit-key',
                IPINFO_API: `${enrichmentServer}/ipinfo`,
                CLEARBIT_API: `${enrichmentServer}/clearbit`,
                HUBSPOT_TOKEN: 'pat-na1-test-0000-hubspot',
                // the tests wait for each request's background work: match-rate counts go at once, not after 5 s
                MATCH_RATE_FLUSH_MS: '0',
                HUBSPOT_API: `http://127.0.0.1:${process.env.PZ_HUBSPOT_PORT}`,
                // the stand-in org's connected app (test/worker/support/salesforce-fixture.ts)
                SALESFORCE_CLIENT_ID: '3MVG9test.consumer.key.0000',
                SALESFORCE_CLIENT_SECRET: 'test-consumer-secret-0000',
                // segment changes are written back after 1 s instead of 30 s (edge/crm/write-back.ts)
                CRM_WRITE_BACK_DELAY_MS: '1000',
                SLACK_HOOKS_URL: `http://127.0.0.1:${process.env.PZ_HOOKS_PORT}`,
              },
              // A real rate limiter that lets one request per key through per 10 s: test/worker/rate-limit.test.ts
              // hands it to the Worker as RL_CLIENT or RL_SITE (wrangler.toml's own limits stay for every other test).
              ratelimits: { RL_TEST_ONE: { namespace_id: '9001', simple: { limit: 1, period: 10 } } },
            },
          }),
        ],
        // CI machines have 2 cores shared with workerd: give integration tests room beyond vitest's 5 s default.
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          setupFiles: ['test/worker/support/migrate.ts'],
          globalSetup: ['test/support/access-server.ts', 'test/support/origin-server.ts', 'test/support/enrichment-server.ts', 'test/support/hubspot-server.ts', 'test/support/salesforce-server.ts', 'test/support/hooks-server.ts'],
          testTimeout: 30_000,
          // Speed: one workerd (Miniflare) per lane, reused file after file, instead of one per file
          // (~1 s to start each, and every module evaluated again). Files of a lane then share storage
          // (KV, D1, Durable Objects): each test names its own sites or seeds what it reads, so no file
          // may count on an empty store (checked with shuffled file orders on 1 and 2 lanes). Two lanes
          // even on 2 cores: much of a test is waiting on workerd. `isolate: true` restores a fresh store per file.
          isolate: false,
          maxWorkers: Math.max(2, availableParallelism() - 1),
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          // One `wrangler dev` for every file, seeded with a copy of the demo per file that changes it:
          // sharedWorker() in test/support/worker.ts.
          globalSetup: ['test/support/global-worker.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One file at a time: two Chromiums beside workerd oversubscribe 2 cores (load average 8 when tried)
          // and the anti-flicker timings, the 50 ms activity-read budget and admin UI reads start to fail.
          fileParallelism: false,
        },
      },
    ],
  },
});
