import { connectAccount } from '../accounts/connect-account.js';
import { signalAccountWorkflows, type AccountSignal } from '../accounts/account-workflows.js';
import { recordPlaybackPaused } from '../accounts/playback-pause.js';
import { playbackWorkflowId } from '../ids.js';
import { UsageError, withCommandRuntime } from './runtime.js';

/** Where `connect` finds the refresh token: the command line is visible to every user of the machine. */
export interface RefreshTokenSource {
  /** `--refresh-token <t>`: kept for scripts, with a warning. */
  flag?: string;
  /** `--refresh-token-file <path>`, or `-` for standard input. */
  file?: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  warn: (message: string) => void;
}

const maxRefreshTokenBytes = 4096;

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.length > maxRefreshTokenBytes) throw new UsageError(`the refresh token input is longer than ${maxRefreshTokenBytes} bytes`);
  }
  return text;
}

/** The refresh token from a file, standard input, or (with a warning) the command line. */
export async function readRefreshToken(source: RefreshTokenSource): Promise<string> {
  if (source.flag !== undefined && source.file !== undefined) throw new UsageError('give either --refresh-token-file or --refresh-token, not both');
  let text: string;
  if (source.flag !== undefined) {
    source.warn('warning: --refresh-token puts the token in the process list, visible to every user of this machine; use --refresh-token-file <file> or pipe it on standard input');
    text = source.flag;
  } else if (source.file !== undefined && source.file !== '-') {
    const { readFile } = await import('node:fs/promises');
    try {
      text = await readFile(source.file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read --refresh-token-file ${source.file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
  } else if (source.file === '-' || !source.stdin.isTTY) {
    text = await readAll(source.stdin);
  } else {
    text = '';
  }
  const token = text.trim();
  if (token.length === 0) {
    throw new UsageError('connect needs a refresh token: --refresh-token-file <file>, or piped on standard input (or log in at /auth/login)');
  }
  if (token.length > maxRefreshTokenBytes || !/^[\x21-\x7e]+$/.test(token)) {
    throw new UsageError('the refresh token must be one line of printable ASCII (as Spotify issues them)');
  }
  return token;
}

export async function connectCommand(source: RefreshTokenSource): Promise<void> {
  const refreshToken = await readRefreshToken(source);
  return withCommandRuntime({}, async ({ config, db, cipher, temporal }) => {
    const result = await connectAccount({ db, config, cipher: cipher(), workflows: async () => ({ client: await temporal(), config }) }, { refreshToken });
    console.log(result.accountId);
    console.error(
      `${result.created ? 'connected' : 'reconnected'} ${result.displayName ?? result.accountId}: ` +
        `initial sync ${result.initialSyncStarted ? 'started' : 'already running or done'}, ` +
        `playback ${result.playbackStarted ? 'started' : 'already running'}, ` +
        `incremental schedule ${result.scheduleCreated ? 'created' : 'in place'}`,
    );
  });
}

export function accountsCommand(): Promise<void> {
  return withCommandRuntime({}, async ({ db }) => {
    const rows = await db('accounts').orderBy('connected_at').select('id', 'display_name', 'sync_state', 'sync_phase', 'connected_at');
    if (rows.length === 0) {
      console.log('No account connected yet.');
      return;
    }
    for (const r of rows) console.log(`${r.id}\t${r.display_name ?? ''}\t${r.sync_state}\t${r.sync_phase}\tconnected ${new Date(r.connected_at).toISOString()}`);
  });
}

export function signalCommand(signal: AccountSignal, accountFlag: string | undefined): Promise<void> {
  return withCommandRuntime({ account: accountFlag }, async ({ config, db, account, temporal }) => {
    const accountId = await account();
    const delivered = await signalAccountWorkflows({ client: await temporal(), config }, accountId, signal);
    // What the status page shows of playback tracking (pause and resume reach it too).
    if (signal !== 'reauthorized' && delivered.includes(playbackWorkflowId(accountId))) await recordPlaybackPaused(db, accountId, signal === 'pause' ? new Date() : null);
    console.log(delivered.length > 0 ? `${signal} sent to ${delivered.join(', ')}` : `no running workflow for ${accountId}`);
  });
}
