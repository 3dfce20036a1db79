import { connectAccount } from '../accounts/connect-account.js';
import { ensureAllIncrementalSchedules } from '../accounts/incremental-schedule.js';
import { readDevSettings } from '../config/dev-settings.js';
import { loadConfig } from '../config/load-config.js';
import { connectDb, describeDatabaseUrl } from '../db/connect.js';
import { migrateLatest } from '../db/migrate.js';
import { assertPortFree, ensureTemporal, installWorkerLogger, readDemoSettings, startApiService, startDemoSimulator, startWorkerService } from '../dev/dev-services.js';
import { ensurePostgres } from '../dev/postgres.js';
import { inProcessService, prefixedLogger, ServiceStack } from '../dev/processes.js';
import { DEMO_CLIENT_ID } from '../spotify/accounts.js';
import { connectTemporalClient } from '../temporal/client.js';
import { loadCipher, loadRuntimeConfig, runtimeEnv } from './runtime.js';

const logger = (name: string) => prefixedLogger(name, { width: 9 });

/**
 * `npm run dev`: everything on one machine. Uses what is there and starts what is missing (Temporal,
 * Postgres), applies migrations, runs the worker and the API in this process and, without
 * SPOTIFY_CLIENT_ID, the Spotify simulator with a connected demo account. Ctrl-C stops it all in
 * order; state persists in the data folder (SPOTIFY_SYNC_DATA_DIR, default `.data/`), so the next
 * start resumes where this one stopped.
 *
 * Demo-mode settings: SIM_PORT (4010 when free), DEMO_TRACKS (600), DEMO_PLAYLISTS (12) and
 * DEMO_ACCOUNT_ID (the simulator's default, demo-user-42).
 */
export async function devCommand(): Promise<void> {
  const env = loadRuntimeConfig(); // reads .env and names every bad variable before anything starts
  const processEnv = runtimeEnv();
  const given = readDevSettings(processEnv);
  const { dataDir } = given;
  const demo = env.spotify.clientId ? undefined : readDemoSettings(processEnv);
  await assertPortFree(env.port, env.host, 'PORT');
  if (demo?.port) await assertPortFree(demo.port, '127.0.0.1', 'SIM_PORT');

  const log = logger('dev');
  const stack = new ServiceStack(log);
  // Ctrl-C, or a part that ended by itself: once everything has stopped, exit (0 after Ctrl-C).
  let failedToStart = false;
  void stack.stopped.then(() => {
    if (failedToStart) return;
    log(stack.exitCode === 0 ? 'stopped' : 'stopped after an error');
    process.exit(stack.exitCode);
  });
  stack.handleSignals({ exit: false });
  let part = 'postgres';
  try {
    const postgres = stack.add(await ensurePostgres({ databaseUrl: given.databaseUrl, localUrl: given.localDatabaseUrl, dataDir, log: logger('postgres') }));
    const db = connectDb(postgres.databaseUrl);
    stack.add(inProcessService('db pool', () => db.destroy()));
    const applied = await migrateLatest(db);
    logger('postgres')(applied.length > 0 ? `applied ${applied.length} migration(s)` : 'schema up to date');

    part = 'temporal';
    const temporal = stack.add(
      await ensureTemporal({
        configuredAddress: given.temporalAddress,
        configuredUiUrl: given.temporalUiUrl,
        namespace: env.temporal.namespace,
        dataDir,
        log: logger('temporal'),
      }),
    );

    part = 'simulator';
    const sim = demo ? stack.add(await startDemoSimulator(demo, logger('simulator'), dataDir)) : undefined;
    const config = loadConfig({
      ...processEnv,
      DATABASE_URL: postgres.databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_UI_URL: temporal.uiUrl,
      SPOTIFY_REDIRECT_URI: given.redirectUri ?? `http://127.0.0.1:${env.port}/auth/callback`,
      // Demo mode: the simulator's Accounts service also serves the login (/auth/login), as a
      // newcomer would try it, with the demo client id it accepts.
      ...(sim && {
        SPOTIFY_API_URL: sim.url,
        SPOTIFY_ACCOUNTS_URL: sim.url,
        SPOTIFY_APP_MODE: given.appMode ?? 'development',
        SPOTIFY_CLIENT_ID: DEMO_CLIENT_ID,
      }),
    });
    part = 'accounts';
    const cipher = loadCipher(config, log);
    const client = await connectTemporalClient(config);
    stack.add(inProcessService('temporal client', () => client.connection.close()));
    const workflows = async () => ({ client, config });

    if (sim) {
      // Idempotent: a second start refreshes the stored tokens and starts nothing twice.
      const demoAccount = await connectAccount({ db, config, cipher, workflows }, { refreshToken: sim.demoRefreshToken });
      log(
        demoAccount.initialSyncStarted
          ? `demo account ${demoAccount.accountId} connected: initial sync started`
          : `demo account ${demoAccount.accountId} already connected: its initial sync continues (or stays complete)`,
      );
    }
    const accountIds = await db('accounts').pluck('id');
    const schedules = await ensureAllIncrementalSchedules({ client, config }, accountIds);
    if (schedules.created > 0) log(`created ${schedules.created} missing incremental-sync schedule(s)`);

    part = 'worker';
    installWorkerLogger(logger('worker'));
    stack.add(await startWorkerService({ config, db, cipher, log: logger('worker') }));
    part = 'api';
    stack.add(await startApiService({ config, db, cipher, client, log: logger('api') }));

    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const rows: [string, string | undefined][] = [
      ['status page', `http://${host}:${config.port}/sync-status`],
      ['Temporal UI', temporal.uiUrl && `${temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows`],
      ['simulator', sim?.url],
      ['Postgres', `${describeDatabaseUrl(postgres.databaseUrl)} (${postgres.kind})`],
      ['data folder', dataDir],
      ['stop', 'Ctrl-C (the next start resumes where this one stopped)'],
    ];
    console.log(
      [
        '',
        `spotify-sync is running${sim ? ` in demo mode (simulated Spotify, account ${sim.accountId})` : ''}`,
        ...rows.filter(([, value]) => value).map(([label, value]) => `  ${label.padEnd(12)} ${value}`),
        '',
      ].join('\n'),
    );
  } catch (error) {
    if (stack.isStopping) return; // Ctrl-C while starting, or a part that ended: stopping already
    failedToStart = true;
    log(`${part} failed to start; stopping what was started`);
    await stack.stopAll();
    throw error;
  }
}
