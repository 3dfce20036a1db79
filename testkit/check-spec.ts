import { resolve } from 'node:path';
import { formatSpecCheck, runSpecCheck } from './spec-check.js';
import { SpecValidator } from './spec-validator.js';

/**
 * npm run check:spec -- <openapi.yml> [--strict]
 * Validates the simulator's answers against an OpenAPI 3.0 file; exits 1 on any mismatch.
 * --strict drops the documented relaxations (spec-overlays.ts) and shows where the file and the live
 * service disagree.
 */
async function main(argv: string[]): Promise<number> {
  const strict = argv.includes('--strict');
  const specPath = argv.find((arg) => !arg.startsWith('--'));
  if (!specPath) {
    console.error('Usage: npm run check:spec -- <openapi.yml> [--strict]');
    return 2;
  }
  const validator = await SpecValidator.load(resolve(specPath), { overlays: !strict });
  const result = await runSpecCheck(validator);
  console.log(formatSpecCheck(result));
  return result.passed ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
