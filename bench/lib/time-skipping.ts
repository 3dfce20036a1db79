import { TestWorkflowEnvironment } from '@temporalio/testing';
import proto from '@temporalio/proto';
import { temporalExecutable } from '../../src/temporal/binaries.js';
import { searchAttributeKeys } from '../../workflows/contract.js';

/**
 * Temporal's time-skipping test server with the product's (Keyword) search attributes registered.
 * test/helpers/time-skipping.ts does the same for the tests, but imports @temporalio/proto (CommonJS)
 * by a named export that only vitest's interop resolves, so it cannot be loaded under plain tsx.
 */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
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
