/**
 * `kiln runs list|get|logs|cancel|retry`: runs through the Kiln API
 * (`KILN_API_URL`, `KILN_API_TOKEN`). Tables for people, `--json` for scripts;
 * `get --watch` and `retry --watch` follow the run live until it ends.
 */
import type { KilnClient, RunDetails, RunSummary } from '@kiln/client';
import type { Command } from 'commander';
import { withApiFlags, withClient, type ApiFlags } from '../api/connect';
import { LiveRunView, renderRun } from '../api/run-view';
import { duration, json, shortTime, table } from '../api/table';
import { CliError } from '../errors';
import type { Io } from '../program';

const states = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;

interface ListFlags extends ApiFlags {
  pipeline?: string;
  status?: string;
  experiment?: string;
  digest?: string;
  limit: string;
  pageToken?: string;
  all?: boolean;
}

export function registerRunsCommands(program: Command, io: Io): void {
  const runs = program
    .command('runs')
    .description('list, inspect, follow, cancel and retry runs (through the Kiln API)');
  const err = io.stderr ?? ((text: string) => process.stderr.write(text));

  withApiFlags(
    runs
      .command('list')
      .description('runs, newest first')
      .option('--pipeline <name>', 'only runs of this pipeline')
      .option('--status <state>', `only runs in this state (${states.join(', ')})`)
      .option('--experiment <name>', 'only runs of this experiment')
      .option('--digest <sha256>', 'only runs of this pipeline version digest')
      .option('--limit <n>', 'runs per page', '20')
      .option('--page-token <token>', 'continue from a previous page')
      .option('--all', 'every page, not just the first'),
  ).action(async (flags: ListFlags) => {
    const status = flags.status?.toUpperCase();
    if (status !== undefined && !states.includes(status as (typeof states)[number]))
      throw new CliError(`--status must be one of ${states.join(', ')}`);
    const pageSize = Number(flags.limit);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000)
      throw new CliError('--limit must be a whole number from 1 to 1000');
    await withClient(flags, async (client) => {
      const found: RunSummary[] = [];
      let nextPageToken: string | undefined;
      for await (const page of client.runs
        .list({
          pageSize,
          ...(flags.pipeline ? { pipeline: flags.pipeline } : {}),
          ...(status ? { status: status as (typeof states)[number] } : {}),
          ...(flags.experiment ? { experiment: flags.experiment } : {}),
          ...(flags.digest ? { digest: flags.digest } : {}),
          ...(flags.pageToken ? { pageToken: flags.pageToken } : {}),
        })
        .pages()) {
        found.push(...page.items);
        nextPageToken = page.nextPageToken;
        if (!flags.all) break;
      }
      if (flags.json) return io.stdout(json({ runs: found, ...(nextPageToken ? { nextPageToken } : {}) }));
      if (found.length === 0) return io.stdout('no runs\n');
      io.stdout(
        table(
          ['RUN', 'PIPELINE', 'STATE', 'STARTED', 'TIME'],
          found.map((r) => [
            r.runId,
            r.pipeline.name,
            r.state,
            shortTime(r.startedAt),
            duration(r.startedAt, r.finishedAt),
          ]),
        ),
      );
      if (nextPageToken)
        io.stdout(
          `more: kiln runs list --page-token ${nextPageToken}${flags.limit !== '20' ? ` --limit ${flags.limit}` : ''}\n`,
        );
    });
  });

  withApiFlags(
    runs
      .command('get')
      .description('a run: its state and task table (the run status document with --json)')
      .argument('<run-id>')
      .option('-w, --watch', 'follow the run live until it ends; exit status 1 unless it succeeded'),
  ).action(async (runId: string, flags: ApiFlags & { watch?: boolean }) => {
    await withClient(flags, async (client) => {
      if (!flags.watch) {
        const run = await client.runs.get(runId);
        io.stdout(flags.json ? json(run) : renderRun(run));
        return;
      }
      const final = await follow(
        client,
        runId,
        flags.json ? { write: err } : { write: io.stdout, isTTY: process.stdout.isTTY },
      );
      if (flags.json) io.stdout(json(final));
      if (final.state !== 'SUCCEEDED') process.exitCode = 1;
    });
  });

  withApiFlags(
    runs
      .command('logs')
      .description(
        "a step's log: the saved log of an attempt that ended, or with --follow a running step's log as it grows",
      )
      .argument('<run-id>')
      .argument('<task-id>')
      .option('--attempt <n>', 'attempt number (default: the latest)')
      .option('--iteration <indices>', 'loop indices for a task inside a loop, e.g. 0 or 2,1')
      .option(
        '-f, --follow',
        "stream a running step's log as it prints it, until the step ends (Ctrl-C stops following, not the step)",
      )
      .option('--wait <seconds>', 'with --follow: stop following after this long (default 3600)'),
  ).action(
    async (
      runId: string,
      taskId: string,
      flags: ApiFlags & { attempt?: string; iteration?: string; follow?: boolean; wait?: string },
    ) => {
      const attempt = flags.attempt === undefined ? undefined : Number(flags.attempt);
      if (attempt !== undefined && (!Number.isInteger(attempt) || attempt < 1))
        throw new CliError('--attempt must be a whole number >= 1');
      if (flags.iteration !== undefined && !/^\d+(,\d+)*$/.test(flags.iteration))
        throw new CliError('--iteration must be loop indices separated by commas, e.g. 0,2');
      const wait = flags.wait === undefined ? undefined : Number(flags.wait);
      if (wait !== undefined && (!Number.isInteger(wait) || wait < 1 || wait > 86_400))
        throw new CliError('--wait must be a whole number of seconds from 1 to 86400');
      if (wait !== undefined && !flags.follow) throw new CliError('--wait goes with --follow');
      await withClient(flags, async (client) => {
        const stop = new AbortController();
        const onSigint = () => stop.abort();
        if (flags.follow) process.once('SIGINT', onSigint);
        try {
          const log = await client.runs.logs(runId, taskId, {
            ...(attempt ? { attempt } : {}),
            ...(flags.iteration ? { iteration: flags.iteration.split(',').map(Number) } : {}),
            ...(flags.follow ? { follow: true, signal: stop.signal } : {}),
            ...(wait ? { waitSeconds: wait } : {}),
          });
          let text = '';
          try {
            for await (const chunk of log) {
              if (flags.json) text += chunk;
              else io.stdout(chunk);
            }
          } catch (error) {
            // Ctrl-C while following: the step goes on; say how to pick it up again.
            if (!stop.signal.aborted) throw error;
            throw new CliError(
              `stopped following ${taskId} of ${runId}; the step goes on (follow again: kiln runs logs ${runId} ${taskId} --follow)`,
              130,
            );
          }
          if (flags.json) io.stdout(json({ runId, taskId, attempt: log.attempt, source: log.source, log: text }));
        } finally {
          process.off('SIGINT', onSigint);
        }
      });
    },
  );

  withApiFlags(
    runs.command('cancel').description('cancel a running run (its exit handlers still run)').argument('<run-id>'),
  ).action(async (runId: string, flags: ApiFlags) => {
    await withClient(flags, async (client) => {
      await client.runs.cancel(runId);
      io.stdout(flags.json ? json({ runId, cancelRequested: true }) : `cancel requested for ${runId}\n`);
    });
  });

  withApiFlags(
    runs
      .command('retry')
      .description('start a new run of a failed or cancelled run; succeeded steps come from the cache')
      .argument('<run-id>')
      .option('-w, --watch', 'follow the new run until it ends; exit status 1 unless it succeeded'),
  ).action(async (runId: string, flags: ApiFlags & { watch?: boolean }) => {
    await withClient(flags, async (client) => {
      const retry = await client.runs.retry(runId);
      if (!flags.watch) {
        io.stdout(flags.json ? json({ runId: retry.runId, retryOf: runId }) : `${retry.runId} retries ${runId}\n`);
        return;
      }
      err(`${retry.runId} retries ${runId}\n`);
      const final = await follow(
        client,
        retry.runId,
        flags.json ? { write: err } : { write: io.stdout, isTTY: process.stdout.isTTY },
      );
      if (flags.json) io.stdout(json(final));
      if (final.state !== 'SUCCEEDED') process.exitCode = 1;
    });
  });
}

/** Follows a run to its end (Ctrl-C stops following, not the run), drawing it as it goes. */
async function follow(
  client: KilnClient,
  runId: string,
  out: { write(text: string): void; isTTY?: boolean },
): Promise<RunDetails> {
  const view = new LiveRunView(out);
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  try {
    let last: RunDetails | undefined;
    for await (const update of client.runs.watch(runId, { signal: stop.signal })) {
      view.update(update);
      last = update.run;
    }
    if (!last) throw new CliError(`stopped following ${runId}`);
    if (stop.signal.aborted)
      throw new CliError(
        `stopped following ${runId}; it is still ${last.state} (cancel it with: kiln runs cancel ${runId})`,
        130,
      );
    return last;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
