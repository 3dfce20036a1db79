import { appModes, type SimulatorConfig } from './config.js';
import { type RunningSimulator, startSimulator, type StartSimulatorOptions } from './start-simulator.js';

export const simulatorUsage = `Usage: npm run sim -- [options]

  --port <n>               port to listen on (default 4010; 0 = any free port)
  --host <ip>              address to bind (default 127.0.0.1)
  --seed <n>               library and fault seed (default 42)
  --tracks <n>             saved tracks (default 3500)
  --playlists <n>          playlists (default 40)
  --app-mode <mode>        development | extended (default development)
  --rate-limit <max>/<s>   rolling window, e.g. 180/30 = 180 requests per 30 s (default off)
  --quota <n>[/<s>|/none]  successful calls per rolling 24 h; Retry-After seconds or none (default off)
  --latency-ms <n>         delay every response
  --latency-jitter-ms <n>  vary each delay uniformly by ± n ms
  --error-rate <0..1>      fraction of /v1 requests answering 5xx
  --malformed-rate <0..1>  fraction of /v1 requests answering schema-violating 200s
  --rotate-refresh-tokens  send a new refresh token with every refresh
  --help                   show this help`;

export class SimulatorCliError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${simulatorUsage}`);
    this.name = 'SimulatorCliError';
  }
}

export function parseSimulatorArgs(argv: string[]): StartSimulatorOptions | 'help' {
  const options: StartSimulatorOptions = { port: 4010 };
  const config: Partial<SimulatorConfig> = {};
  const args = argv.flatMap((arg) => (arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg]));
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] ?? '';
    if (flag === '--help' || flag === '-h') return 'help';
    if (flag === '--rotate-refresh-tokens') {
      config.rotateRefreshTokens = true;
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) throw new SimulatorCliError(`${flag} needs a value`);
    i++;
    const integer = (min: number): number => {
      if (!/^\d+$/.test(value) || Number(value) < min) throw new SimulatorCliError(`${flag} must be a whole number ≥ ${min}, got "${value}"`);
      return Number(value);
    };
    const fraction = (): number => {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new SimulatorCliError(`${flag} must be between 0 and 1, got "${value}"`);
      return n;
    };
    switch (flag) {
      case '--port':
        options.port = integer(0);
        break;
      case '--host':
        options.host = value;
        break;
      case '--seed':
        options.seed = integer(0);
        break;
      case '--tracks':
        options.tracks = integer(0);
        break;
      case '--playlists':
        options.playlists = integer(0);
        break;
      case '--app-mode':
        if (!(appModes as readonly string[]).includes(value)) throw new SimulatorCliError(`--app-mode must be one of ${appModes.join(', ')}`);
        config.appMode = value as SimulatorConfig['appMode'];
        break;
      case '--rate-limit': {
        const match = /^(\d+)\/(\d+)$/.exec(value);
        if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) throw new SimulatorCliError(`--rate-limit must look like 180/30 (requests/seconds)`);
        config.rateLimit = { maxRequests: Number(match[1]), windowSeconds: Number(match[2]) };
        break;
      }
      case '--quota': {
        const match = /^(\d+)(?:\/(\d+|none))?$/.exec(value);
        if (!match) throw new SimulatorCliError('--quota must look like 10000, 10000/3600 or 10000/none');
        config.quota = { perDay: Number(match[1]) };
        if (match[2] !== undefined) config.quota.retryAfterSeconds = match[2] === 'none' ? null : Number(match[2]);
        break;
      }
      case '--latency-ms':
        config.latencyMs = integer(0);
        break;
      case '--latency-jitter-ms':
        config.latencyJitterMs = integer(0);
        break;
      case '--error-rate':
        config.errorRate = fraction();
        break;
      case '--malformed-rate':
        config.malformedRate = fraction();
        break;
      default:
        throw new SimulatorCliError(`unknown option ${flag}`);
    }
  }
  return { ...options, config };
}

/** `npm run sim`: starts the simulator and prints where it listens and how to log in; runs until killed. */
export async function runSimulatorCli(argv: string[]): Promise<void> {
  await startSimulatorFromArgs(argv);
}

/** The same, returning the running simulator (undefined for --help) so tests and scripts can stop it. */
export async function startSimulatorFromArgs(argv: string[], log: (line: string) => void = (line) => console.log(line)): Promise<RunningSimulator | undefined> {
  const options = parseSimulatorArgs(argv);
  if (options === 'help') {
    log(simulatorUsage);
    return undefined;
  }
  const started = Date.now();
  const running = await startSimulator(options);
  const { library } = running.sim.stats();
  const config = running.sim.config();
  log(`Spotify simulator listening on ${running.url}  (generated in ${Date.now() - started} ms)`);
  log(
    `  seed ${options.seed ?? 42} · ${library.savedTracks} saved tracks · ${library.artists} artists · ${library.albums} albums · ${library.playlists} playlists · app mode ${config.appMode}`,
  );
  if (config.rateLimit) log(`  rate limit ${config.rateLimit.maxRequests} requests per ${config.rateLimit.windowSeconds} s`);
  if (config.quota) log(`  quota ${config.quota.perDay} successful calls per rolling ${config.quota.windowSeconds ?? 86_400} s`);
  log(`  demo user ${running.sim.user.displayName} (account id ${running.sim.user.accountId})`);
  log(`  demo refresh token: ${running.demoRefreshToken}`);
  log(`  point the product at it: SPOTIFY_API_URL=${running.url} SPOTIFY_ACCOUNTS_URL=${running.url}`);
  log(`  control: ${running.url}/_sim/stats · /_sim/truth · /_sim/config · /_sim/clock · /_sim/mutate`);
  return running;
}
