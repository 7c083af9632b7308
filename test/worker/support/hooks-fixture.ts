/**
 * Shared by the stand-in for Slack and the JSON webhook receiver (test/support/hooks-server.ts, Node) and
 * the alert tests (workerd): what it records of each request, and where it listens.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    hooksServer: string;
  }
}

export interface HookCall {
  path: string;
  /** When the request was received, epoch ms. */
  at: number;
  /** What the stand-in answered. */
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
