import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/api/create-app.js';
import { projectRoot } from '../src/project-root.js';
import { insertAccount, testConfig, unreachableTemporal } from './api/fixtures.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
  await insertAccount(testDb.db, 'acct-ada');
  await insertAccount(testDb.db, 'acct-bo');
});
afterAll(async () => testDb?.drop());

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin/main.ts', ...args], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH, DATABASE_URL: testDb.url },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('tokens create|list|revoke', () => {
  it('makes a token printed alone on the last line, that reads its account only; lists it without the token; revokes it', async () => {
    const made = await cli(['tokens', 'create', '--account', 'acct-bo', '--name', 'backup script', '--scope', 'read']);
    expect(made.code, made.stderr).toBe(0);
    const token = made.stdout.trim().split('\n').pop()!;
    expect(token).toMatch(/^sst_[A-Za-z0-9_-]{43}$/);

    const app = createApp({ db: testDb.db, config: testConfig(), temporal: unreachableTemporal });
    const auth = { Authorization: `Bearer ${token}` };
    expect((await app.request('/api/library/tracks', { headers: auth })).status).toBe(200);
    expect((await app.request('/api/library/tracks?accountId=acct-ada', { headers: auth })).status).toBe(404);
    // The token formed the household: nothing personal without a session or token now.
    expect((await app.request('/api/library/tracks')).status).toBe(401);

    const list = await cli(['tokens', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/acct-bo\tbackup script\tread/);
    expect(list.stdout).not.toContain(token);
    expect((await cli(['tokens', 'create', '--account', 'acct-bo', '--name', 'backup script'])).code).not.toBe(0);

    const revoked = await cli(['tokens', 'revoke', '--account', 'acct-bo', '--name', 'backup script']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await app.request('/api/library/tracks', { headers: auth })).status).toBe(401);
    expect((await cli(['tokens', 'revoke', '--account', 'acct-bo', '--name', 'backup script'])).code).not.toBe(0);
    const events = await testDb.db('audit_events').orderBy('id').pluck('event');
    expect(events).toEqual(['token_created', 'token_revoked']);
  });
});
