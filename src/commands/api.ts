import { connectAccount } from '../accounts/connect-account.js';
import { startApi } from '../api/start-api.js';
import { createStderrLogger } from '../api/logger.js';
import { startUploadSweeper } from '../history-import/upload-retention.js';
import { untilStopSignal, withCommandRuntime } from './runtime.js';

/** `npm run api`: the HTTP API, status page and login, until SIGINT/SIGTERM. */
export function apiCommand(): Promise<void> {
  return withCommandRuntime({ poolMax: 10 }, async ({ config, db, cipher, temporal }) => {
    const tokenCipher = cipher();
    // Temporal is connected on first use, so status keeps answering from Postgres while it is down.
    const api = await startApi({
      db,
      config,
      temporal,
      connect: (tokens, options) => connectAccount({ db, config, cipher: tokenCipher, workflows: async () => ({ client: await temporal(), config }) }, tokens, options),
      port: config.port,
      host: config.host,
    });
    // Uploads a crash left behind are deleted once older than the retention.
    const stopSweeper = startUploadSweeper(db, config.historyImportDir, (message) => createStderrLogger('api').warn(message));
    await untilStopSignal();
    stopSweeper();
    await api.close();
  });
}
