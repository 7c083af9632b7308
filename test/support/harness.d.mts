// Types of harness.mjs (plain JavaScript, so the bench's plain Node can import it too).
import type { ChildProcess } from 'node:child_process';

/** The repository root, with a trailing slash. */
export const root: string;
/** process.env plus WRANGLER_SEND_METRICS=false and CLOUDFLARE_CF_FETCH_ENABLED=false. */
export const quietEnv: NodeJS.ProcessEnv;
/** The project's pinned Node when installed, else this process's. */
export const nodeBin: string;

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number>;
/** Keeps the last `max` characters a child printed, for error messages. */
export function tail(child: ChildProcess, max?: number): () => string;
/** Kills a detached child's whole process group, SIGKILL after `graceMs`. */
export function killGroup(child: ChildProcess, graceMs?: number): Promise<void>;

/** Seeds a local state directory with the demo site (a copy under each of `sites`, default ['demo']) and the D1 migrations. */
export function seedDemo(opts: { persistTo: string; sites?: readonly string[] }): Promise<void>;

export interface WranglerDevOptions {
  /** Local state directory (`--persist-to`). */
  persistTo: string;
  /** A wrangler.toml other than the project's (`--config`). */
  config?: string;
  /** Working directory of wrangler (default: the repository root). */
  cwd?: string;
  /** More `wrangler dev` arguments, e.g. `['--no-bundle']`. */
  args?: string[];
  /**
   * Worker variables and secrets for this run (`wrangler dev --var NAME:value`), e.g. an ADMIN_TOKEN
   * for the admin. They take precedence over a developer's `.dev.vars`.
   */
  vars?: Record<string, string>;
  /** `--log-level` (default 'warn'). */
  logLevel?: 'debug' | 'info' | 'log' | 'warn' | 'error' | 'none';
  /** How long to wait for /health (default 90 s). */
  readyTimeoutMs?: number;
  /**
   * Run (synchronously) once the process group is down: after stop(), after a failed start, or when
   * this process exits or is killed by a signal without stop(). E.g. removing the state directory.
   */
  cleanup?: () => void;
}

export interface WranglerDev {
  /** e.g. http://127.0.0.1:43817 */
  origin: string;
  port: number;
  /** The process group id (wrangler's pid): workerd runs in it too. */
  pgid: number;
  /** Milliseconds from spawn until /health answered. */
  startMs: number;
  /** The last output wrangler printed. */
  output(): string;
  /** Kills the process group. */
  stop(): Promise<void>;
}

/** `wrangler dev` on a free port in its own process group; resolves once /health answers. */
export function startWranglerDev(opts: WranglerDevOptions): Promise<WranglerDev>;

export interface StartOptions {
  readyTimeoutMs?: number;
  /**
   * Worker variables and secrets for this run (`wrangler dev --var NAME:value`), e.g. an ADMIN_TOKEN
   * for the admin. They take precedence over a developer's `.dev.vars`.
   */
  vars?: Record<string, string>;
  /** Site ids to seed the demo site and accounts under (default ['demo']). */
  sites?: readonly string[];
  /** More `wrangler dev` arguments, e.g. `--test-scheduled` (GET /__scheduled runs a Cron Trigger). */
  args?: string[];
}

export interface RunningWorker {
  /** e.g. http://127.0.0.1:43817 */
  origin: string;
  /** Kills the process group and removes the temporary state directory. */
  stop(): Promise<void>;
}

/** The Worker of the working tree under `wrangler dev`, seeded into a fresh temporary state directory. */
export function startWorker(opts?: StartOptions): Promise<RunningWorker>;

/** The admin API of a Worker this process started: `api(method, path, body)` answers the parsed JSON; a non-2xx answer throws. */
export function adminClient(origin: string, token: string): (method: string, path: string, body?: unknown) => Promise<any>;

/** Creates a site, saves `edit(draft config)` as its draft, imports `accounts` (if any) and publishes it. */
export function publishSite(
  api: ReturnType<typeof adminClient>,
  site: { id: string; name: string; allowedOrigins: string[]; template?: 'empty' | 'demo' },
  edit: (config: any) => any,
  accounts?: object[],
): Promise<any>;
