import { readdir, readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';

/**
 * CPU seconds spent by each part of the system during a measurement, from /proc (Linux): this process
 * (simulator + in-process worker or plain loop + bench), a worker child process, our Temporal dev
 * server, and the Postgres backends serving our databases. Tells what a figure is limited by.
 */
export interface CpuParts {
  node: number;
  worker: number;
  temporal: number;
  postgres: number;
}

const ticksPerSecond = 100; // USER_HZ on Linux

async function procTicks(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime are fields 14..17 (1-based) of the whole line: 11..14 here (0-based).
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
  } catch {
    return 0;
  }
}

async function cmdline(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

export class CpuMeter {
  temporalPid: number | null = null;
  workerPid: number | null = null;

  constructor(
    /** Postgres backends whose command line names a database with this prefix are ours. */
    private readonly dbPrefix: string,
  ) {}

  /** Finds our Temporal dev server by its port. */
  async findTemporal(address: string): Promise<void> {
    const port = address.slice(address.lastIndexOf(':') + 1);
    for (const entry of await readdir('/proc')) {
      const pid = Number(entry);
      if (!pid) continue;
      const cmd = await cmdline(pid);
      if (cmd.includes('server start-dev') && cmd.includes(`--port ${port} `)) {
        this.temporalPid = pid;
        return;
      }
    }
  }

  async sample(): Promise<CpuParts & { at: number }> {
    let postgres = 0;
    for (const entry of await readdir('/proc')) {
      const pid = Number(entry);
      if (!pid) continue;
      const cmd = await cmdline(pid);
      if (cmd.startsWith('postgres:') && cmd.includes(this.dbPrefix)) postgres += await procTicks(pid);
    }
    return {
      at: Date.now(),
      node: await procTicks(process.pid),
      worker: this.workerPid ? await procTicks(this.workerPid) : 0,
      temporal: this.temporalPid ? await procTicks(this.temporalPid) : 0,
      postgres,
    };
  }

  /** CPU seconds per part between two samples, and the wall seconds between them. */
  static diff(a: CpuParts & { at: number }, b: CpuParts & { at: number }): CpuParts & { wall: number } {
    const s = (x: number, y: number) => Math.round(((y - x) / ticksPerSecond) * 100) / 100;
    return {
      node: s(a.node, b.node),
      worker: s(a.worker, b.worker),
      temporal: s(a.temporal, b.temporal),
      postgres: s(a.postgres, b.postgres),
      wall: Math.round((b.at - a.at) / 10) / 100,
    };
  }
}

/** CPU seconds and wall time of several measurements together. */
export function sumCpu(list: (CpuParts & { wall: number })[]): CpuParts & { wall: number } {
  const total = { node: 0, worker: 0, temporal: 0, postgres: 0, wall: 0 };
  for (const c of list) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += c[k];
  return total;
}

/** Load average (1, 5, 15 min): other work on the machine disturbs timings. */
export const loadAverage = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);

/**
 * Where a measured interval's time went, in one phrase for the table: the busiest component's CPU
 * seconds against the wall time, then the others. With the simulator at zero latency there is no
 * network wait, so some CPU always bounds the figure; which one says what would make it faster.
 */
export function describeCpu(cpu: CpuParts & { wall: number }, nodeLabel = 'node (simulator + worker)'): string {
  const parts: [string, number][] = [
    [nodeLabel, cpu.node],
    ['worker process', cpu.worker],
    ['Postgres', cpu.postgres],
    ['Temporal server', cpu.temporal],
  ];
  const shown = parts.filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1]);
  const total = shown.reduce((sum, [, s]) => sum + s, 0);
  const busiest = shown[0];
  // Below both thresholds the parts take turns: each call waits for the simulator, then Postgres.
  const lead =
    busiest && busiest[1] >= 0.8 * cpu.wall ? `CPU of ${busiest[0]}` : total >= 1.6 * cpu.wall ? 'CPU (both cores busy)' : 'CPU of each part in turn (one call at a time)';
  return `${lead}: ${shown.map(([name, s]) => `${name} ${s.toFixed(1)}`).join(', ')} CPU-s in ${cpu.wall.toFixed(1)} s`;
}
