import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's folder (in a build, `dist/`): where `.data/`, `.tools/` and the other generated
 * folders live. Here, at the root of src/, so anything may import it.
 */
export const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
