import { ApplicationFailure } from '@temporalio/activity';
import { nowOf, type ActivityDeps } from '../shared/deps.js';
import { writeImportState } from '../store/history-imports-store.js';

/**
 * Failures that the same file gives again on every attempt: Postgres refusing a value (SQLSTATE class
 * 22, data exception: out of range, bad text, bad date) and a value too deep for the stack. Retrying
 * them every 5 minutes for ever helps no one.
 */
export function failsEveryTime(error: unknown): boolean {
  if (error instanceof RangeError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

/**
 * Runs one step of reading an import's files; a failure that would fail every attempt ends the import
 * as `failed`, saying which file (never the value: it may be personal), and is not retried.
 */
export async function unlessItFailsEveryTime<T>(
  deps: ActivityDeps,
  input: { importId: string; phase: 'checking' | 'plays'; file: () => string | null },
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!failsEveryTime(error)) throw error;
    const where = input.file();
    const message = `${where ?? 'the export'} holds a value that cannot be stored (${(error as { code?: string }).code ?? (error as Error).name}); the import stopped there: import the other files without this one, or the export as Spotify sent it`;
    await writeImportState(deps.db, input.importId, { state: 'failed', phase: input.phase, error: message, now: nowOf(deps) });
    throw ApplicationFailure.nonRetryable(message, 'HistoryImportUnstorable');
  }
}
