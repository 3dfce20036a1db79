import { parseArgs } from 'node:util';
import { ConfigError } from '../config/load-config.js';
import { UsageError } from '../commands/runtime.js';

const usage = `spotify-sync <command> [options]

Processes:
  worker                      run workflows and activities (npm run worker)
  api                         HTTP API and status page (npm run api)
  sim [--port 4010 --seed 42 --tracks 3500 --playlists 40 --app-mode development]
                              the offline Spotify simulator (npm run sim)
  dev                         everything on one machine (npm run dev)

Accounts (npm run cli -- <command>):
  connect --refresh-token-file <file|->
                              register an account, start its workflows, print its id
                              (the token from a file, or standard input with - or a pipe;
                              --refresh-token <t> still works but shows it in the process list)
  accounts                    list connected accounts
  status [--account <id>] [--watch]
  pause|resume|reset [--account <id>]
  import-history <zip|folder|files...> [--account <id>]
                              import Spotify's data exports (streaming history) into the history:
                              prints the import id, its progress, and the counts it ended with
  migrate                     apply database migrations

Exports (npm run cli -- <command>):
  export --what saved|playlists|history|collections|all --format csv|json --out DIR [--account <id>]
                              CSV with exportify's columns, or the JSON backup (--what all)
  import-backup <file>        restore a JSON backup into a database without that account

Time machine (npm run cli -- <command>):
  versions <playlistId> [--account <id>]
                              every version of a playlist the sync saw, newest first
  restore playlist <id> [--version N] [--dry-run] [--account <id>]
                              recreate a deleted playlist, roll back an owned one, follow a followed one again
  restore saved --since <date> [--dry-run] [--account <id>]
                              save again what was removed since then
                              (the plan is printed first; restores need the login's write scopes)

Notifications (npm run cli -- <command>):
  notify-test                 send a test message to every target of NOTIFY_URLS

Personal API tokens (npm run cli -- <command>):
  tokens create --account <id> --name <name> --scope read|control
                              make a token for one person's account; prints it alone on the last line
  tokens list [--account <id>]
  tokens revoke --account <id> --name <name>`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const flags = () =>
    parseArgs({
      args: rest,
      options: {
        'refresh-token': { type: 'string' },
        'refresh-token-file': { type: 'string' },
        account: { type: 'string' },
        watch: { type: 'boolean' },
        what: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
      },
      strict: true,
    }).values;
  switch (command) {
    case 'worker':
      return (await import('../commands/worker.js')).workerCommand();
    case 'api':
      return (await import('../commands/api.js')).apiCommand();
    case 'dev':
      return (await import('../commands/dev.js')).devCommand();
    case 'sim':
      await (await import('../simulator/cli.js')).runSimulatorCli(rest);
      return;
    case 'migrate':
      return (await import('../commands/migrate.js')).migrateCommand();
    case 'connect': {
      const f = flags();
      return (await import('../commands/account-commands.js')).connectCommand({
        flag: f['refresh-token'],
        file: f['refresh-token-file'],
        stdin: process.stdin,
        warn: (message) => console.error(message),
      });
    }
    case 'accounts':
      return (await import('../commands/account-commands.js')).accountsCommand();
    case 'pause':
    case 'resume':
      return (await import('../commands/account-commands.js')).signalCommand(command, flags().account);
    case 'reset':
      return (await import('../commands/status-commands.js')).resetCommand(flags().account);
    case 'import-history': {
      const parsed = parseArgs({ args: rest, options: { account: { type: 'string' } }, strict: true, allowPositionals: true });
      return (await import('../commands/history-import-command.js')).importHistoryCommand(parsed.positionals, parsed.values.account);
    }
    case 'status': {
      const f = flags();
      return (await import('../commands/status-commands.js')).statusCommand(f.account, f.watch ?? false);
    }
    case 'export':
      return (await import('../commands/export-commands.js')).exportCommand(flags());
    case 'import-backup':
      return (await import('../commands/export-commands.js')).importBackupCommand(rest[0]);
    case 'versions': {
      const parsed = parseArgs({ args: rest, options: { account: { type: 'string' } }, strict: true, allowPositionals: true });
      return (await import('../commands/time-machine-commands.js')).versionsCommand(parsed.positionals[0], parsed.values.account);
    }
    case 'restore': {
      const parsed = parseArgs({
        args: rest,
        options: { account: { type: 'string' }, version: { type: 'string' }, since: { type: 'string' }, 'dry-run': { type: 'boolean' } },
        strict: true,
        allowPositionals: true,
      });
      return (await import('../commands/time-machine-commands.js')).restoreCommand(parsed.positionals, parsed.values);
    }
    case 'notify-test':
      return (await import('../commands/notify-commands.js')).notifyTestCommand();
    case 'tokens': {
      const [action, ...args] = rest;
      const parsed = parseArgs({ args, options: { account: { type: 'string' }, name: { type: 'string' }, scope: { type: 'string' } }, strict: true }).values;
      return (await import('../commands/token-commands.js')).tokensCommand(action, parsed);
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(usage);
      return;
    default:
      throw new UsageError(`unknown command "${command}"\n\n${usage}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof UsageError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
