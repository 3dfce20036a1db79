import { readBackupFile } from '../export/read-backup.js';
import { restoreBackup } from '../export/restore-backup.js';
import { recordAuditEvent } from '../household/audit-log.js';
import { exportWhats, writeExports, type ExportFormat, type ExportWhat } from '../export/write-exports.js';
import { UsageError, withCommandRuntime } from './runtime.js';

/** `export --what saved|playlists|history|collections|all --format csv|json --out DIR [--account <id>]`. */
export async function exportCommand(flags: { what?: string; format?: string; out?: string; account?: string }): Promise<void> {
  const what = (flags.what ?? 'all') as ExportWhat;
  if (!exportWhats.includes(what)) throw new UsageError(`--what must be one of ${exportWhats.join(', ')}`);
  const format = (flags.format ?? 'csv') as ExportFormat;
  if (format !== 'csv' && format !== 'json') throw new UsageError('--format must be csv or json');
  if (format === 'json' && what !== 'all') throw new UsageError('--format json writes the backup of the whole account: use --what all');
  if (!flags.out) throw new UsageError('export needs --out <folder>');
  const outDir = flags.out;
  await withCommandRuntime({ account: flags.account }, async ({ db, account }) => {
    const accountId = await account();
    const files = await writeExports(db, accountId, { what, format, outDir, now: new Date() });
    for (const f of files) console.log(f);
    console.error(`Wrote ${files.length} file${files.length === 1 ? '' : 's'} for account ${accountId}.`);
  });
}

/** `import-backup <file>`: restores a JSON backup into a database that does not hold that account yet. */
export async function importBackupCommand(file: string | undefined): Promise<void> {
  if (!file) throw new UsageError('import-backup needs the backup file: npm run cli -- import-backup <file.json>');
  await withCommandRuntime({}, async ({ db }) => {
    const { accountId, rows } = await restoreBackup(db, readBackupFile(file));
    await recordAuditEvent(db, { event: 'restore', accountId, actor: 'cli', detail: 'import-backup', at: new Date() });
    console.log(accountId);
    console.error(
      `Restored account ${accountId}: ${Object.entries(rows)
        .map(([table, n]) => `${n} ${table}`)
        .join(', ')}. Log in again (/auth/login) to resume syncing: a backup holds no tokens.`,
    );
  });
}
