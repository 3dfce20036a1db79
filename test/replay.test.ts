import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../testkit/workflow-bundle.js';
import { historyFixturesDir } from './helpers/history-fixtures.js';

/** Histories recorded from real runs (RECORD_HISTORIES=1 npm test) must replay on today's code. */
describe('replay of recorded workflow histories', () => {
  const files = readdirSync(historyFixturesDir).filter((f) => f.endsWith('.json'));

  it('has fixtures for every workflow type', () => {
    const types = new Set(files.map((f) => f.split('--')[0]));
    expect([...types].sort()).toEqual(['historyImportWorkflow', 'incrementalSyncWorkflow', 'initialSyncWorkflow', 'playbackWorkflow']);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    // Fixtures are the protobuf objects as JSON (recordHistoryFixture): back to a History message.
    const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(historyFixturesDir, file), 'utf8')));
    const results = Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, [{ workflowId: file, history }]);
    for await (const result of results) {
      expect(result.error).toBeUndefined();
    }
  });
});
