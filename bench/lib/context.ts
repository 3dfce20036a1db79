import type { CpuMeter } from './cpu.js';
import type { DatabaseFactory, TemporalDev } from './infra.js';

export interface BenchContext {
  databases: DatabaseFactory;
  temporal: TemporalDev;
  cpu: CpuMeter;
  /** --quick: small libraries and one repeat, a smoke check of every scenario. */
  quick: boolean;
  /** Repeats of timed figures (--repeat). */
  repeat: number;
  /** --playlists / --days: the shape of scenario 12 (the time machine) when the default would take too long. */
  scale?: { playlists?: number; days?: number };
  log(line: string): void;
}

export type AppMode = 'development' | 'extended';
export const appModes: AppMode[] = ['development', 'extended'];

/** Playlists for a library of this many saved tracks: roughly what heavy users have. */
export function playlistsFor(tracks: number): number {
  if (tracks <= 1_000) return 15;
  if (tracks <= 3_500) return 40;
  if (tracks <= 10_000) return 60;
  if (tracks <= 50_000) return 150;
  return 250;
}

/** One line of the results table. */
export interface Figure {
  /** e.g. "10k development". */
  case: string;
  figure: string;
  value: string;
  target?: string;
  met?: boolean;
  /** What bounds this figure (Spotify calls, Postgres, Temporal round-trips, CPU). */
  limitedBy?: string;
}

export interface ScenarioResult {
  id: number;
  title: string;
  figures: Figure[];
  /** Load average (1, 5, 15 min) when the scenario ended: other work on the machine disturbs timings. */
  loadAverage: number[];
  /** Everything measured, for the JSON file. */
  raw: unknown;
}

export type Scenario = (ctx: BenchContext) => Promise<Omit<ScenarioResult, 'loadAverage'>>;

/** "10k" for 10,000. */
export const sizeLabel = (n: number): string => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
