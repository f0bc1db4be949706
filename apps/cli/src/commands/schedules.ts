/**
 * `kiln schedules create|list|get|pause|resume|trigger|backfill|delete`:
 * Temporal Schedules that start runs, through the Kiln API.
 */
import type { KilnClient, OverlapPolicy, PipelineSource, Schedule } from '@kiln/client';
import type { JsonValue, PipelineSpec } from '@kiln/ir';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { withApiFlags, withClient, type ApiFlags } from '../api/connect';
import { json, shortTime, table } from '../api/table';
import { CliError } from '../errors';
import type { Io } from '../program';
import { loadSpec } from '../run/load-spec';
import { parseParams } from '../run/params';

const overlaps: readonly OverlapPolicy[] = [
  'SKIP',
  'BUFFER_ONE',
  'BUFFER_ALL',
  'CANCEL_OTHER',
  'TERMINATE_OTHER',
  'ALLOW_ALL',
];

interface CreateFlags extends ApiFlags {
  pipeline: string;
  export?: string;
  version?: string;
  param?: string[];
  cron?: string[];
  every?: string;
  offset?: string;
  timezone?: string;
  overlap?: string;
  catchupWindow: string;
  pauseOnFailure?: boolean;
  paused?: boolean;
  note?: string;
  experiment?: string;
  executor?: string;
  startAt?: string;
  endAt?: string;
}

function overlapOf(value: string | undefined): OverlapPolicy | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase().replace(/-/g, '_') as OverlapPolicy;
  if (!overlaps.includes(upper)) throw new CliError(`--overlap must be one of ${overlaps.join(', ')}`);
  return upper;
}

function time(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) throw new CliError(`${flag} must be a time such as 2025-01-01T00:00:00Z`);
  return t.toISOString();
}

/** A file is compiled or read here and uploaded by the client; anything else names a stored pipeline. */
async function pipelineOf(
  client: KilnClient,
  flags: CreateFlags,
): Promise<{ source: PipelineSource; spec: PipelineSpec }> {
  if (existsSync(flags.pipeline) && /\.(ts|js|mjs|json|ya?ml)$/i.test(flags.pipeline)) {
    if (flags.version)
      throw new CliError('--version applies to stored pipelines; a file is uploaded as its own version');
    const spec = await loadSpec(flags.pipeline, flags.export);
    return { source: spec, spec };
  }
  const stored = await client.pipelines.get(flags.pipeline, flags.version ? { version: flags.version } : {});
  return {
    source: { name: stored.name, digest: stored.digest, ...(flags.version ? { version: flags.version } : {}) },
    spec: stored.spec,
  };
}

function describeSchedule(s: Schedule): string {
  const when = s.cron?.length
    ? `cron ${s.cron.join(' | ')} (${s.timezone})`
    : s.interval
      ? `every ${s.interval.every}${s.interval.offset ? ` offset ${s.interval.offset}` : ''}`
      : '';
  return (
    [
      `schedule  ${s.id}${s.paused ? '   PAUSED' : ''}${s.note ? ` (${s.note})` : ''}`,
      `pipeline  ${s.pipeline ? `${s.pipeline.name}${s.pipeline.version ? ` version ${s.pipeline.version}` : ''} ${s.pipeline.digest.slice(0, 19)}` : '?'}`,
      `when      ${when}   overlap ${s.overlap}   catch-up ${s.catchupWindowSeconds}s`,
      ...(s.params && Object.keys(s.params).length
        ? [
            `params    ${Object.entries(s.params)
              .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
              .join(' ')}`,
          ]
        : []),
      `runs      ${s.actionsTaken} started, ${s.actionsSkippedOverlap} skipped (overlap), ${s.actionsMissedCatchupWindow} missed`,
      `next      ${s.nextRunTimes.slice(0, 3).map(shortTime).join(', ') || '-'}`,
      ...(s.recentRuns.length
        ? ['recent', ...s.recentRuns.slice(-5).map((r) => `  ${shortTime(r.scheduledAt)}  ${r.runId}`)]
        : []),
    ].join('\n') + '\n'
  );
}

export function registerSchedulesCommands(program: Command, io: Io): void {
  const schedules = program
    .command('schedules')
    .description('Temporal Schedules that start runs (through the Kiln API)');

  withApiFlags(
    schedules
      .command('create')
      .description('create a schedule from a cron expression or an interval')
      .argument('<id>', 'schedule id: letters, digits, ".", "_" or "-"')
      .requiredOption(
        '--pipeline <name|file>',
        'a stored pipeline name, or a pipeline module / IR file to upload (needs admin)',
      )
      .option('--export <name>', 'the export when the pipeline module has several')
      .option('--version <label>', 'stored pipeline version (default: the latest)')
      .option('--param <name=value...>', 'a run parameter (repeatable); non-strings as JSON')
      .option('--cron <expr...>', 'cron expression(s), e.g. "0 3 * * *"')
      .option('--every <duration>', 'fixed interval, e.g. 15m, 1h, 1d')
      .option('--offset <duration>', 'offset of the interval')
      .option('--timezone <tz>', 'IANA time zone of the cron expressions', 'UTC')
      .option('--overlap <policy>', `when a run is due while the last one runs: ${overlaps.join(', ')}`, 'SKIP')
      .requiredOption('--catchup-window <duration>', 'how late a missed run may still start, e.g. 10m')
      .option('--pause-on-failure', 'pause the schedule when a run fails')
      .option('--paused', 'create it paused')
      .option('--note <text>', 'a note shown with the schedule')
      .option('--experiment <name>', 'record runs under this experiment')
      .option('--executor <kind>', 'local or kubernetes')
      .option('--start-at <time>', 'no runs before this time')
      .option('--end-at <time>', 'no runs after this time'),
  ).action(async (id: string, flags: CreateFlags) => {
    if (!flags.cron?.length && !flags.every) throw new CliError('give --cron <expr> or --every <duration>');
    if (flags.executor !== undefined && flags.executor !== 'local' && flags.executor !== 'kubernetes')
      throw new CliError('--executor must be local or kubernetes');
    const overlap = overlapOf(flags.overlap);
    const startAt = time(flags.startAt, '--start-at');
    const endAt = time(flags.endAt, '--end-at');
    await withClient(flags, async (client) => {
      const { source, spec } = await pipelineOf(client, flags);
      const params: Record<string, JsonValue> = parseParams(spec, flags.param ?? []);
      const created = await client.schedules.create({
        id,
        pipeline: source,
        params,
        ...(flags.cron?.length ? { cron: flags.cron } : {}),
        ...(flags.every ? { interval: { every: flags.every, ...(flags.offset ? { offset: flags.offset } : {}) } } : {}),
        ...(flags.timezone ? { timezone: flags.timezone } : {}),
        ...(overlap ? { overlap } : {}),
        catchupWindow: flags.catchupWindow,
        ...(flags.pauseOnFailure ? { pauseOnFailure: true } : {}),
        ...(flags.paused ? { paused: true } : {}),
        ...(flags.note ? { note: flags.note } : {}),
        ...(flags.experiment ? { experiment: flags.experiment } : {}),
        ...(flags.executor ? { executor: flags.executor as 'local' | 'kubernetes' } : {}),
        ...(startAt ? { startAt } : {}),
        ...(endAt ? { endAt } : {}),
      });
      io.stdout(flags.json ? json(created) : describeSchedule(created));
    });
  });

  withApiFlags(
    schedules.command('list').description('schedules of Kiln pipelines (a new one appears after a moment)'),
  ).action(async (flags: ApiFlags) => {
    await withClient(flags, async (client) => {
      const list = [];
      for await (const s of client.schedules.list()) list.push(s);
      if (flags.json) return io.stdout(json({ schedules: list }));
      if (list.length === 0) return io.stdout('no schedules\n');
      io.stdout(
        table(
          ['SCHEDULE', 'PIPELINE', 'STATE', 'NEXT RUN', 'NOTE'],
          list.map((s) => [
            s.id,
            s.pipeline ? `${s.pipeline.name}${s.pipeline.version ? `@${s.pipeline.version}` : ''}` : '?',
            s.paused ? 'paused' : 'active',
            shortTime(s.nextRunTimes[0]),
            s.note ?? '',
          ]),
        ),
      );
    });
  });

  withApiFlags(
    schedules.command('get').description('a schedule with its recent and next runs').argument('<id>'),
  ).action(async (id: string, flags: ApiFlags) => {
    await withClient(flags, async (client) => {
      const s = await client.schedules.get(id);
      io.stdout(flags.json ? json(s) : describeSchedule(s));
    });
  });

  for (const [name, verb] of [
    ['pause', 'paused'],
    ['resume', 'resumed'],
  ] as const) {
    withApiFlags(
      schedules.command(name).description(`${name} a schedule`).argument('<id>').option('--note <text>', 'why'),
    ).action(async (id: string, flags: ApiFlags & { note?: string }) => {
      await withClient(flags, async (client) => {
        const s = await (name === 'pause'
          ? client.schedules.pause(id, flags.note)
          : client.schedules.resume(id, flags.note));
        io.stdout(flags.json ? json(s) : `${verb} ${id}\n`);
      });
    });
  }

  withApiFlags(
    schedules
      .command('trigger')
      .description('start a run now')
      .argument('<id>')
      .option('--overlap <policy>', 'overlap policy for this run (default ALLOW_ALL)'),
  ).action(async (id: string, flags: ApiFlags & { overlap?: string }) => {
    const overlap = overlapOf(flags.overlap);
    await withClient(flags, async (client) => {
      await client.schedules.trigger(id, overlap ? { overlap } : {});
      io.stdout(flags.json ? json({ id, triggered: true }) : `triggered ${id}\n`);
    });
  });

  withApiFlags(
    schedules
      .command('backfill')
      .description('run every action the schedule would have taken in [start, end)')
      .argument('<id>')
      .requiredOption('--start <time>', 'e.g. 2025-01-01T00:00:00Z')
      .requiredOption('--end <time>', 'e.g. 2025-01-08T00:00:00Z')
      .option('--overlap <policy>', 'overlap policy for the backfilled runs (default ALLOW_ALL)'),
  ).action(async (id: string, flags: ApiFlags & { start: string; end: string; overlap?: string }) => {
    const start = time(flags.start, '--start') as string;
    const end = time(flags.end, '--end') as string;
    const overlap = overlapOf(flags.overlap);
    await withClient(flags, async (client) => {
      await client.schedules.backfill(id, { start, end, ...(overlap ? { overlap } : {}) });
      io.stdout(
        flags.json
          ? json({ id, backfill: { start, end, overlap: overlap ?? 'ALLOW_ALL' } })
          : `backfilling ${id} from ${shortTime(start)} to ${shortTime(end)}\n`,
      );
    });
  });

  withApiFlags(
    schedules.command('delete').description('delete a schedule (the runs it started stay)').argument('<id>'),
  ).action(async (id: string, flags: ApiFlags) => {
    await withClient(flags, async (client) => {
      await client.schedules.delete(id);
      io.stdout(flags.json ? json({ id, deleted: true }) : `deleted ${id}\n`);
    });
  });
}
