import { TestWorkflowEnvironment } from '@temporalio/testing';
import proto from '@temporalio/proto';
import { temporalExecutable } from '../src/temporal/binaries.js';
import { searchAttributeKeys } from '../workflows/contract.js';

/**
 * Temporal's time-skipping test server (a 24 h timer passes in moments; no Schedules there) with the
 * product's Keyword search attributes registered, for the tests and the benchmark alike.
 * @temporalio/proto is CommonJS: its default import loads under plain tsx as under vitest.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: temporalExecutable('test-server') } });
  try {
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(searchAttributeKeys.map((k) => [k.name, proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
    });
  } catch (error) {
    await env.teardown();
    throw error;
  }
  return env;
}
