import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { projectRoot } from '../../src/project-root.js';

export const historyFixturesDir = join(projectRoot, 'test', 'fixtures', 'histories');

/**
 * With RECORD_HISTORIES=1, keeps a workflow's history as a replay fixture (test/replay.test.ts replays
 * every fixture against the current workflow code, so a change that breaks running workflows fails).
 */
export async function recordHistoryFixture(client: Client, name: string, workflowId: string, runId?: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  mkdirSync(historyFixturesDir, { recursive: true });
  writeFileSync(join(historyFixturesDir, `${name}.json`), JSON.stringify(history));
}
