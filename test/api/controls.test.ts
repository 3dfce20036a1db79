import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../src/api/create-app.js';
import { resetAccountCheckpoints } from '../../src/accounts/reset-account.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { connectTemporal, insertAccount, insertPlays, insertSyncState, json, testConfig, unreachableTemporal } from './fixtures.js';

const token = 'correct-horse-battery-staple-of-32-characters';
const auth = { Authorization: `Bearer ${token}` };

let testDb: TestDatabase;
let temporal: Client;
const started: string[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  temporal = await connectTemporal(inject('temporalAddress'));
});

afterAll(async () => {
  for (const id of started)
    await temporal.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
  await temporal?.connection.close();
  await testDb?.drop();
});

beforeEach(async () => {
  await testDb.db('accounts').delete();
  await insertAccount(testDb.db, 'solo');
});

const securedApp = (temporalFactory: () => Promise<Client> = unreachableTemporal) =>
  createApp({ db: testDb.db, config: testConfig({ API_TOKEN: token }), temporal: temporalFactory });

interface BadInput {
  name: string;
  path?: string;
  init: RequestInit;
  status: number;
  code: string;
  message: RegExp;
  headers?: Record<string, RegExp>;
}

const big = JSON.stringify({ accountId: 'solo', padding: 'x'.repeat(20 * 1024) });

const badInputs: BadInput[] = [
  {
    name: 'no Authorization header',
    init: json({ accountId: 'solo' }),
    status: 401,
    code: 'missing_api_token',
    message: /Authorization: Bearer <API_TOKEN>/,
    headers: { 'www-authenticate': /^Bearer/ },
  },
  {
    name: 'a wrong token',
    init: json({ accountId: 'solo' }, { Authorization: 'Bearer not-the-token' }),
    status: 401,
    code: 'invalid_api_token',
    message: /API token is wrong/,
    headers: { 'www-authenticate': /error="invalid_token"/ },
  },
  {
    name: 'another auth scheme',
    init: json({ accountId: 'solo' }, { Authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` }),
    status: 401,
    code: 'missing_api_token',
    message: /Bearer/,
  },
  { name: 'malformed JSON', init: json('{"accountId": ', auth), status: 400, code: 'invalid_request', message: /not valid JSON/ },
  { name: 'white space alone as JSON', init: json('\r', auth), status: 400, code: 'invalid_request', message: /not valid JSON/ },
  { name: 'accountId a number', init: json({ accountId: 42 }, auth), status: 400, code: 'invalid_request', message: /body field accountId: .*string/ },
  { name: 'accountId empty', init: json({ accountId: '' }, auth), status: 400, code: 'invalid_request', message: /accountId: must not be empty/ },
  { name: 'accountId null', init: json({ accountId: null }, auth), status: 400, code: 'invalid_request', message: /accountId/ },
  { name: 'a misspelt field', init: json({ accountID: 'solo' }, auth), status: 400, code: 'invalid_request', message: /accountID/ },
  { name: 'an array body', init: json([], auth), status: 400, code: 'invalid_request', message: /body: .*object/ },
  { name: 'an unknown account', init: json({ accountId: 'nobody' }, auth), status: 404, code: 'unknown_account', message: /No account with id "nobody"/ },
  { name: 'a body over 16 KB', init: json(big, auth), status: 413, code: 'payload_too_large', message: /larger than 16 KB/ },
  {
    name: 'a body over 16 KB declared in Content-Length',
    init: json(big, { ...auth, 'Content-Length': String(big.length) }),
    status: 413,
    code: 'payload_too_large',
    message: /16 KB/,
  },
  {
    name: 'a body that is not JSON',
    init: { method: 'POST', headers: { ...auth, 'Content-Type': 'text/plain' }, body: 'accountId=solo' },
    status: 415,
    code: 'unsupported_media_type',
    message: /Content-Type: application\/json/,
  },
  {
    name: 'GET on a control',
    init: { method: 'GET', headers: auth },
    status: 405,
    code: 'method_not_allowed',
    message: /GET is not allowed on \/api\/sync\/pause; allowed: POST/,
    headers: { allow: /^POST$/ },
  },
  {
    name: 'status: an empty accountId',
    path: '/api/sync/status?accountId=',
    init: { headers: auth },
    status: 400,
    code: 'invalid_request',
    message: /query parameter accountId: must not be empty/,
  },
  {
    name: 'status: accountId twice',
    path: '/api/sync/status?accountId=a&accountId=b',
    init: { headers: auth },
    status: 400,
    code: 'invalid_request',
    message: /query parameter accountId: .*string/,
  },
  {
    name: 'status: an over-long accountId',
    path: `/api/sync/status?accountId=${'a'.repeat(300)}`,
    init: { headers: auth },
    status: 400,
    code: 'invalid_request',
    message: /at most 256/,
  },
  { name: 'an unknown route', path: '/api/sync/stop', init: json({}, auth), status: 404, code: 'not_found', message: /No route POST \/api\/sync\/stop/ },
];

describe('bad input to the API', () => {
  it.each(badInputs)('$name → $status $code', async ({ path = '/api/sync/pause', init, status, code, message, headers }) => {
    const res = await securedApp().request(path, init);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect({ status: res.status, code: body.error.code }).toEqual({ status, code });
    expect(body.error.message).toMatch(message);
    expect(body.error.message).not.toContain(token);
    for (const [name, pattern] of Object.entries(headers ?? {})) expect(res.headers.get(name)).toMatch(pattern);
  });

  it('asks for an account when several are connected and none is named', async () => {
    await insertAccount(testDb.db, 'other');
    for (const action of ['pause', 'resume', 'reset']) {
      const res = await securedApp().request(`/api/sync/${action}`, json({}, auth));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: { code: 'account_required', message: 'Several accounts are connected; send {"accountId": "..."} with one of: solo, other' },
      });
    }
  });

  it('answers 404 no_accounts when no account is connected', async () => {
    await testDb.db('accounts').delete();
    const res = await securedApp().request('/api/sync/resume', { method: 'POST', headers: auth });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('no_accounts');
  });
});

describe('controls and Temporal', () => {
  it('answers 503 temporal_unavailable when Temporal cannot be reached, for every action', async () => {
    const app = securedApp(unreachableTemporal);
    for (const action of ['pause', 'resume', 'reset']) {
      const res = await app.request(`/api/sync/${action}`, json({ accountId: 'solo' }, auth));
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('temporal_unavailable');
      expect(body.error.message).toMatch(/Temporal is not reachable/);
    }
    // A failed reset leaves the checkpoints alone: it needs Temporal before it touches Postgres.
    expect((await testDb.db('accounts').where({ id: 'solo' }).first())!.sync_state).toBe('not_started');
  });

  it('starts while Temporal is down and connects once it is there (lazily, on first use)', async () => {
    let calls = 0;
    const app = securedApp(async () => {
      calls += 1;
      if (calls === 1) return unreachableTemporal();
      return temporal;
    });
    expect(calls).toBe(0);
    expect((await app.request('/api/sync/pause', json({}, auth))).status).toBe(503);
    expect((await app.request('/api/sync/pause', json({}, auth))).status).toBe(202);
    expect((await app.request('/api/sync/resume', json({}, auth))).status).toBe(202);
    expect(calls).toBe(2);
  });

  it('answers 202 with delivered: [] when no workflow of the account runs', async () => {
    const app = securedApp(async () => temporal);
    for (const action of ['pause', 'resume'] as const) {
      const res = await app.request(`/api/sync/${action}`, json({ accountId: 'solo' }, auth));
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ accountId: 'solo', action, delivered: [] });
    }
  });

  it('accepts an empty body (with or without a JSON content type) for the only account', async () => {
    const app = securedApp(async () => temporal);
    for (const init of [
      { method: 'POST', headers: auth },
      { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' } },
    ]) {
      const res = await app.request('/api/sync/pause', init);
      expect(res.status).toBe(202);
      expect(((await res.json()) as { accountId: string }).accountId).toBe('solo');
    }
  });

  it('needs no token when API_TOKEN is not set', async () => {
    const app = createApp({ db: testDb.db, config: testConfig(), temporal: async () => temporal });
    const res = await app.request('/api/sync/resume', { method: 'POST' });
    expect(res.status).toBe(202);
  });

  it('reset clears the initial-sync checkpoints, keeps the rest, and starts the initial sync afresh', async () => {
    const config = testConfig({ API_TOKEN: token });
    const app = createApp({ db: testDb.db, config, temporal: async () => temporal });
    await testDb.db('accounts').where({ id: 'solo' }).update({ sync_state: 'rate_limited', sync_phase: 'albums' });
    await insertSyncState(testDb.db, 'solo', 'tracks', { synced_count: 3500, is_complete: true });
    await insertSyncState(testDb.db, 'solo', 'albums', { synced_count: 10 });
    await insertSyncState(testDb.db, 'solo', 'tracks', { phase: 'incremental', synced_count: 7 });
    await insertSyncState(testDb.db, 'solo', 'playback', { phase: 'playback', batches: 3 });
    await testDb.db('playlists').insert({ account_id: 'solo', id: 'pl1', name: 'Mix', snapshot_id: 's2', items_snapshot_id: 's2' });
    await insertPlays(testDb.db, 'solo', 3, new Date('2026-01-01T00:00:00Z'));

    const res = await app.request('/api/sync/reset', json({ accountId: 'solo' }, auth));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accountId: 'solo', action: 'reset', delivered: ['initial-sync:solo'] });
    started.push('initial-sync:solo');

    const account = await testDb.db('accounts').where({ id: 'solo' }).first();
    expect(account).toMatchObject({ sync_state: 'not_started', sync_phase: 'tracks' });
    const remaining = await testDb.db('sync_state').where({ account_id: 'solo' }).orderBy('phase').select('entity_type', 'phase');
    expect(remaining).toEqual([
      { entity_type: 'tracks', phase: 'incremental' },
      { entity_type: 'playback', phase: 'playback' },
    ]);
    expect((await testDb.db('playlists').where({ id: 'pl1' }).first())!.items_snapshot_id).toBeNull();
    expect((await testDb.db('play_history').where({ account_id: 'solo' })).length).toBe(3);

    const description = await temporal.workflow.getHandle('initial-sync:solo').describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.type).toBe('initialSyncWorkflow');
    expect(description.taskQueue).toBe(config.temporal.taskQueue);

    // A second reset ends that run and starts another.
    const again = await app.request('/api/sync/reset', json({}, auth));
    expect(again.status).toBe(202);
    const after = await temporal.workflow.getHandle('initial-sync:solo').describe();
    expect(after.runId).not.toBe(description.runId);
    expect((await temporal.workflow.getHandle('initial-sync:solo', description.runId).describe()).status.name).toBe('TERMINATED');

    // Several resets at once (a double click, a script): each answers 202 and one run is left running.
    const together = await Promise.all(Array.from({ length: 4 }, () => app.request('/api/sync/reset', json({}, auth))));
    expect(together.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    const latest = await temporal.workflow.getHandle('initial-sync:solo').describe();
    expect(latest.status.name).toBe('RUNNING');
    // Visibility lags the runs themselves on a busy machine: wait until it lists the latest run, and
    // then it must list that run alone.
    const runningRuns = async () => {
      const runs: string[] = [];
      for await (const run of temporal.workflow.list({ query: `WorkflowId = 'initial-sync:solo' AND ExecutionStatus = 'Running'` })) runs.push(run.runId);
      return runs;
    };
    await expect.poll(runningRuns, { timeout: 15_000, interval: 250 }).toEqual([latest.runId]);
  });
});

describe('resetAccountCheckpoints', () => {
  it('returns null for an unknown account and changes nothing', async () => {
    await insertSyncState(testDb.db, 'solo', 'tracks', { synced_count: 5 });
    expect(await resetAccountCheckpoints(testDb.db, 'nobody')).toBeNull();
    expect((await testDb.db('sync_state').where({ account_id: 'solo' })).length).toBe(1);
  });

  it('reports what it cleared', async () => {
    await insertSyncState(testDb.db, 'solo', 'tracks', { synced_count: 5 });
    await insertSyncState(testDb.db, 'solo', 'artists', { synced_count: 5 });
    await testDb.db('playlists').insert([
      { account_id: 'solo', id: 'a', name: 'A', snapshot_id: 's', items_snapshot_id: 's' },
      { account_id: 'solo', id: 'b', name: 'B', snapshot_id: 's', items_snapshot_id: null },
    ]);
    expect(await resetAccountCheckpoints(testDb.db, 'solo')).toEqual({ checkpointsCleared: 2, playlistsReset: 2 });
  });
});
