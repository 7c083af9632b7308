/**
 * Builds the React app with esbuild, as a test run needs it: the browser bundle (React's development
 * build, which reports hydration mismatches) and the server renderer, imported from a temporary file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const here = import.meta.dirname;
const common = { bundle: true, write: false, jsx: 'automatic', logLevel: 'warning', define: { 'process.env.NODE_ENV': '"development"' } } as const;

export interface SpaBuild {
  clientJs: string;
  renderApp: (url: string, suppress: boolean) => string;
}

export async function buildSpa(): Promise<SpaBuild> {
  const [client, server] = await Promise.all([
    esbuild.build({ ...common, entryPoints: [join(here, 'client.tsx')], format: 'iife', platform: 'browser', target: 'es2022' }),
    esbuild.build({ ...common, entryPoints: [join(here, 'server.tsx')], format: 'esm', platform: 'node', target: 'node22' }),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'pz-spa-'));
  try {
    const file = join(dir, 'server.mjs');
    writeFileSync(file, server.outputFiles[0]!.text);
    const mod = (await import(pathToFileURL(file).href)) as { renderApp: SpaBuild['renderApp'] };
    return { clientJs: client.outputFiles[0]!.text, renderApp: mod.renderApp };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
