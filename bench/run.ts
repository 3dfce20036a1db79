import { parseArgs } from 'node:util';
import { CpuMeter, loadAverage } from './lib/cpu.js';
import type { BenchContext, Scenario, ScenarioResult } from './lib/context.js';
import { DatabaseFactory, machineInfo, quietTemporalRuntime, startTemporal } from './lib/infra.js';
import { workflowBundle } from '../testkit/workflow-bundle.js';
import { renderTable, writeResults } from './lib/report.js';
import { callsVsMinimum } from './scenarios/calls-vs-minimum.js';
import { daysUnderQuota } from './scenarios/days-under-quota.js';
import { durabilityCost } from './scenarios/durability-cost.js';
import { historyImport } from './scenarios/history-import.js';
import { incrementalCost } from './scenarios/incremental-cost.js';
import { libraryReads } from './scenarios/library-reads.js';
import { productionWorker } from './scenarios/production-worker.js';
import { scale } from './scenarios/scale.js';
import { timeToFirstData } from './scenarios/time-to-first-data.js';
import { againstLatency } from './scenarios/against-latency.js';
import { badDays } from './scenarios/bad-days.js';
import { timeMachine } from './scenarios/time-machine.js';
import { severalWorkers } from './scenarios/several-workers.js';

const usage = `npm run bench [-- [--quick] [--repeat N] [--only 1,2,...]]
  --quick     small libraries and one repeat: a smoke check of every scenario (a few minutes)
  --repeat N  runs of each timed figure (default 3; 1 with --quick)
  --only      the scenarios to run, by number (default all)
  --playlists, --days  scenario 12 (time machine): playlists edited daily, and days (default 100 × 365; --quick 3 × 120)`;

const scenarios: Record<number, Scenario> = {
  1: callsVsMinimum,
  2: durabilityCost,
  3: timeToFirstData,
  4: incrementalCost,
  5: daysUnderQuota,
  6: scale,
  7: libraryReads,
  8: historyImport,
  9: againstLatency,
  10: badDays,
  11: productionWorker,
  12: timeMachine,
  13: severalWorkers,
};

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    repeat: { type: 'string' },
    only: { type: 'string' },
    playlists: { type: 'string' },
    days: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const repeat = Number(values.repeat ?? (values.quick ? 1 : 3));
const only = values.only ? values.only.split(',').map(Number) : Object.keys(scenarios).map(Number);
const timeMachineShape = {
  ...(values.playlists === undefined ? {} : { playlists: Number(values.playlists) }),
  ...(values.days === undefined ? {} : { days: Number(values.days) }),
};
if (!Number.isInteger(repeat) || repeat < 1 || only.some((id) => !scenarios[id]) || Object.values(timeMachineShape).some((n) => !Number.isInteger(n) || n < 1)) {
  console.error(usage);
  process.exit(2);
}

quietTemporalRuntime();
const startedAt = new Date();
const databases = new DatabaseFactory();
const temporal = await startTemporal();
// Ctrl-C or a kill: stop our Temporal server and drop our databases before exiting.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the benchmark's Temporal server and dropping its databases`);
    void Promise.allSettled([temporal.stop(), databases.close()]).then(() => process.exit(130));
  });
}
const results: ScenarioResult[] = [];
const failures: { id: number; error: string }[] = [];
try {
  const cpu = new CpuMeter(databases.prefix);
  await cpu.findTemporal(temporal.address);
  await workflowBundle();
  const ctx: BenchContext = { databases, temporal, cpu, quick: values.quick, repeat, scale: timeMachineShape, log: (line) => console.log(line) };
  const machine = await machineInfo(databases);
  console.log(`spotify-sync benchmark: ${JSON.stringify(machine)}`);
  console.log(`repeat ${repeat}${values.quick ? ', quick' : ''}; load average at start ${loadAverage().join(' ')}`);
  for (const id of only) {
    const scenario = scenarios[id] as Scenario;
    console.log(`\n[${id}] ${new Date().toISOString()} load ${loadAverage().join(' ')}`);
    const t0 = Date.now();
    try {
      results.push({ ...(await scenario(ctx)), loadAverage: loadAverage() });
    } catch (error) {
      // A broken run gives no figure; the others still run and the failure is reported.
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`scenario ${id} failed: ${message}`);
      failures.push({ id, error: message });
    }
    console.log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  console.log(renderTable(results));
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const path = await writeResults({ command, startedAt, finishedAt: new Date(), repeat, quick: values.quick, machine, results, failures }, startedAt);
  console.log(`\nresults written to ${path}`);
} finally {
  await temporal.stop();
  await databases.close();
}
if (failures.length > 0) process.exitCode = 1;
