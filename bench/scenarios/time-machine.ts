import { performance } from 'node:perf_hooks';
import { recordPlaylistVersions } from '../../activities/store/playlist-versions-store.js';
import { diffVersions } from '../../src/library/time-machine.js';
import { planPlaylistRestore } from '../../src/versions/restore-plan.js';
import { readPlaylistVersion } from '../../src/versions/version-store.js';
import { sizeLabel, type BenchContext, type Figure, type Scenario } from '../lib/context.js';
import { writeLibrary } from '../lib/library-fixture.js';
import { formatInt } from '../lib/report.js';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/**
 * Scenario 12, the time machine: playlists of 5,000 entries edited every day for a simulated year (0–3
 * entries removed, 1–4 added, as the simulator's `editPlaylists` does), each day's snapshot recorded as
 * the sync records it (recordPlaylistVersions, in a transaction). Then: the storage of every version
 * against one full copy of the library, p95 of reading a random version and of a diff between two
 * random versions, and the calls a 5,000-entry restore plans against the minimum.
 */
export const timeMachine: Scenario = async (ctx: BenchContext) => {
  const shape = ctx.quick ? { playlists: 3, days: 120 } : { playlists: 100, days: 365 };
  const entries = 5000;
  const database = await ctx.databases.create();
  const db = database.db;
  const accountId = 'bench-account';
  await writeLibrary(db, accountId, { tracks: 20_000, playlists: shape.playlists, itemsPerPlaylist: entries, plays: 0 });
  const ids = Array.from({ length: shape.playlists }, (_, i) => `pl${i + 1}`);
  const day0 = Date.parse('2026-01-01T06:00:00Z');
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  const t0 = performance.now();
  let editedEntries = 0;
  for (let d = 0; d <= shape.days; d++) {
    const now = new Date(day0 + d * 86_400_000);
    await db.transaction(async (trx) => {
      if (d > 0) {
        for (const id of ids) {
          const positions = (await trx('playlist_items').where({ account_id: accountId, playlist_id: id }).orderBy('position').pluck('position')) as number[];
          const gone = Array.from({ length: rand(4) }, () => positions[rand(positions.length)]!);
          if (gone.length > 0) await trx('playlist_items').where({ account_id: accountId, playlist_id: id }).whereIn('position', gone).delete();
          const last = positions[positions.length - 1] ?? 0;
          const added = 1 + rand(4);
          await trx('playlist_items').insert(
            Array.from({ length: added }, (_, k) => ({
              account_id: accountId,
              playlist_id: id,
              position: last + 1 + k,
              track_id: `t${1 + rand(20_000)}`,
              added_at: now,
              added_by: accountId,
            })),
          );
          editedEntries += new Set(gone).size + added;
          await trx('playlists')
            .where({ account_id: accountId, id })
            .update({ snapshot_id: `s${d}-${id}`, items_snapshot_id: `s${d}-${id}` });
        }
      }
      await recordPlaylistVersions(trx, accountId, ids, now);
    });
  }
  const recordSeconds = (performance.now() - t0) / 1000;
  ctx.log(`  ${shape.playlists} playlists × ${shape.days} days recorded in ${recordSeconds.toFixed(1)} s`);

  const sizes = (
    await db.raw(`select pg_total_relation_size('playlist_versions') as total, sum(octet_length(entries::text)) as entries, count(*) as versions from playlist_versions`)
  ).rows[0] as {
    total: string;
    entries: string;
    versions: string;
  };
  let fullCopyBytes = 0;
  for (const id of ids) fullCopyBytes += JSON.stringify((await readPlaylistVersion(db, accountId, id))!.entries).length;
  const storageMb = Number(sizes.total) / 2 ** 20;
  const copyMb = fullCopyBytes / 2 ** 20;

  const reads: number[] = [];
  for (let i = 0; i < (ctx.quick ? 100 : 300); i++) {
    const t = performance.now();
    await readPlaylistVersion(db, accountId, ids[rand(ids.length)]!, 1 + rand(shape.days + 1));
    reads.push(performance.now() - t);
  }
  const diffs: number[] = [];
  for (let i = 0; i < (ctx.quick ? 50 : 150); i++) {
    const from = 1 + rand(shape.days + 1);
    const to = 1 + rand(shape.days + 1);
    if (from === to) continue;
    const t = performance.now();
    await diffVersions(db, accountId, ids[rand(ids.length)]!, from, to);
    diffs.push(performance.now() - t);
  }
  reads.sort((a, b) => a - b);
  diffs.sort((a, b) => a - b);
  const target = (await readPlaylistVersion(db, accountId, ids[0]!, 1))!.entries;
  const plan = planPlaylistRestore('recreate', [], target, false);
  const minimum = Math.ceil(target.length / 100) + Math.ceil(target.length / 50);

  const label = `${shape.playlists}×${sizeLabel(entries)} entries, ${shape.days} daily edits`;
  const figures: Figure[] = [
    {
      case: label,
      figure: 'storage of every version (MB) / one full copy of the library (MB)',
      value: `${storageMb.toFixed(1)} / ${copyMb.toFixed(1)} (${(storageMb / copyMb).toFixed(1)}×)`,
      limitedBy: 'Postgres',
    },
    { case: label, figure: 'entries edited (the edits’ weight) / versions', value: `${formatInt(editedEntries)} / ${formatInt(Number(sizes.versions))}` },
    { case: label, figure: 'read any version, p95 (ms)', value: percentile(reads, 95).toFixed(1), target: '< 100', met: percentile(reads, 95) < 100, limitedBy: 'Postgres' },
    { case: label, figure: 'diff of two versions, p95 (ms)', value: percentile(diffs, 95).toFixed(1), target: '< 100', met: percentile(diffs, 95) < 100, limitedBy: 'Postgres' },
    { case: label, figure: '5k-entry restore: planned calls / minimum (⌈n/100⌉ writes + ⌈n/50⌉ reads)', value: `${plan.calls} / ${minimum}` },
  ];
  return {
    id: 12,
    title: 'Time machine: a year of daily edits',
    figures,
    raw: {
      shape,
      entries,
      recordSeconds,
      storageBytes: Number(sizes.total),
      entriesBytes: Number(sizes.entries),
      fullCopyBytes,
      versions: Number(sizes.versions),
      editedEntries,
      reads,
      diffs,
      plan: { calls: plan.calls, minimum },
    },
  };
};
