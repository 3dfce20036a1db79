import { inspect } from 'node:util';
import { expect } from 'vitest';

/** Secrets the tests hand to the clients; no error may ever show them. */
export const ACCESS_TOKEN = 'at-SECRET-access-token-0001';
export const NEW_ACCESS_TOKEN = 'at-SECRET-access-token-0002';
export const REFRESH_TOKEN = 'rt-SECRET-refresh-token-0001';
export const NEW_REFRESH_TOKEN = 'rt-SECRET-refresh-token-0002';
export const CLIENT_SECRET = 'cs-SECRET-client-secret-0001';
export const CODE = 'code-SECRET-authorization-0001';
export const CODE_VERIFIER = 'cv-SECRET-verifier-0001-abcdefghijklmnopqrstuvwxyz';

const all = [ACCESS_TOKEN, NEW_ACCESS_TOKEN, REFRESH_TOKEN, NEW_REFRESH_TOKEN, CLIENT_SECRET, CODE, CODE_VERIFIER];
const basic = Buffer.from(`client-1:${CLIENT_SECRET}`).toString('base64');

/** The error in every form it may be logged or stored in carries none of the secrets. */
export function expectNoSecrets(error: unknown): void {
  const e = error as Partial<Error>;
  const forms = [String(error), e.message ?? '', e.stack ?? '', JSON.stringify(error), inspect(error, { depth: 5 })];
  for (const form of forms) {
    for (const secret of [...all, basic, 'Bearer ', 'Basic ']) expect(form).not.toContain(secret);
  }
}

/** Runs `fn`, expecting it to reject; returns the error after checking it carries no secrets. */
export async function rejection(fn: () => Promise<unknown>): Promise<Error> {
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a rejection').toBeInstanceOf(Error);
  expectNoSecrets(caught);
  return caught as Error;
}
