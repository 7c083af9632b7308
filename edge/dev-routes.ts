import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Env } from './env';

/**
 * Development-only routes: the demo pages (`/demo*`, edge/demo/routes.ts) and the
 * benchmark's floor (`POST /bench/floor`, edge/bench/floor.ts, which reads any KV key it is given).
 *
 * They exist only where the Worker's `DEV_ROUTES` variable is `"on"` and ENVIRONMENT is not
 * `production`: wrangler.toml's top-level [vars] (`npm start`, the tests, the bench) set it;
 * [env.production] (`npm run deploy`) does not, so there every one of these paths answers the app's
 * JSON 404 like any unknown path, before any of its code runs. Their code and data are imported on
 * first use inside the handlers, so an isolate without them never evaluates shared/demo.
 *
 * Hono mounts routes at module load and env is only known per request, hence a per-route middleware.
 */
export function devRoutesEnabled(env: Pick<Env, 'DEV_ROUTES' | 'ENVIRONMENT'>): boolean {
  return env.DEV_ROUTES === 'on' && env.ENVIRONMENT !== 'production';
}

/** Put before a development-only route's handler: the app's notFound unless devRoutesEnabled. */
export const devOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!devRoutesEnabled(c.env)) return c.notFound();
  await next();
};
