import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { connectAccount, type ConnectTokens } from '../../src/accounts/connect-account.js';
import type { Logger } from '../../src/api/logger.js';
import { startApi, type RunningApi } from '../../src/api/start-api.js';
import { chromiumExecutable } from './chromium-path.js';
import type { Harness } from './sync-harness.js';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumExecutable(), args: chromiumArgs, timeout: 60_000 });
}

/** test-artifacts/ at the repository root (git-ignored): screenshots a person can look at. */
export const artifactsDir = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

export async function artifactPath(name: string): Promise<string> {
  await mkdir(artifactsDir, { recursive: true });
  return join(artifactsDir, name);
}

/** A port free right now (bound, then released), for configs that must name the API's port up front. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Info is dropped; warnings and errors go to stderr, where a failing test's output shows them. */
const quietLogger: Logger = {
  info: () => {},
  warn: (message, fields) => process.stderr.write(`[api warn] ${message} ${JSON.stringify(fields ?? {})}\n`),
  error: (message, fields) => process.stderr.write(`[api error] ${message} ${JSON.stringify(fields ?? {})}\n`),
};

/**
 * The real API for a harness, wired as `npm run api` wires it (src/commands/api.ts): the harness's
 * Postgres, config and Temporal client, and connectAccount as the login callback's ConnectFn.
 * `onConnect` sees the tokens a login hands over (to check they are stored encrypted).
 */
export function startHarnessApi(h: Harness, options: { port?: number; onConnect?: (tokens: ConnectTokens) => void; now?: () => Date } = {}): Promise<RunningApi> {
  return startApi({
    db: h.db.db,
    config: h.config,
    temporal: async () => h.client,
    connect: (tokens, connectOptions) => {
      options.onConnect?.(tokens);
      return connectAccount({ db: h.db.db, config: h.config, cipher: h.cipher, workflows: async () => ({ client: h.client, config: h.config }) }, tokens, connectOptions);
    },
    port: options.port ?? 0,
    logger: quietLogger,
    now: options.now,
  });
}

/** Teardown in reverse order of setup, every step attempted even when one fails; the first error is rethrown. */
export class Cleanup {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];

  add(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
  }

  async run(): Promise<void> {
    let first: unknown;
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        process.stderr.write(`cleanup "${step.name}" failed: ${String(error)}\n`);
        first ??= error;
      }
    }
    if (first !== undefined) throw first;
  }
}
