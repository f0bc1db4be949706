/**
 * A real run of a loop of no-op steps, and its run page measured side by side
 * with the Temporal UI: while the run goes (each repetition a fresh page, then
 * one page watched over a window of clicks) and again after it ended.
 */
import type { runResourceSchema } from '@kiln/api-contract';
import type { z } from 'zod';
import { getRun, startRun, uploadPipeline, waitForRunEnd } from './api';
import type { BenchBrowser } from './browser';
import type { KilnDev } from './kiln-dev';
import { loopPipeline } from './pipelines';
import { openRunPage, watchRunPage, type RunPageOpen, type RunPageWatch } from './run-page';
import type { TemporalTarget } from './temporal';
import { temporalHistory, temporalStatusQuery, type TemporalPageTiming } from './temporal-ui';

type Run = z.infer<typeof runResourceSchema>;

export interface LoopPhase {
  /** Iterations done (succeeded) when the phase began and ended. */
  readonly doneBefore: number;
  readonly doneAfter: number;
  readonly kiln: RunPageOpen[];
  readonly temporalHistory: TemporalPageTiming[];
  readonly temporalQuery: TemporalPageTiming[];
  readonly historyLength: number;
}

export interface LoopResult {
  readonly iterations: number;
  readonly parallelism: number;
  readonly runId: string;
  readonly running: LoopPhase;
  readonly watch: RunPageWatch;
  readonly ended?: LoopPhase;
  readonly runSeconds?: number;
  readonly finalState: string;
}

export interface LoopOptions {
  readonly iterations: number;
  readonly parallelism: number;
  readonly repetitions: number;
  readonly watchSeconds: number;
  readonly runTimeoutMinutes: number;
}

/**
 * Iterations of the loop's body that are done (succeeded or cached), from the status document: the batched summary
 * entry's counts (loops run in child-workflow batches), else the body's own entries (they carry `iteration`).
 */
export function loopDone(run: Run): number {
  const inLoop = run.tasks.filter((task) => task.iteration !== undefined || task.batched !== undefined);
  const batched = inLoop.filter((task) => task.batched);
  if (batched.length)
    return batched.reduce(
      (n, task) => n + (task.batched?.counts.succeeded ?? 0) + (task.batched?.counts.cached ?? 0),
      0,
    );
  return inLoop.filter((task) => task.state === 'succeeded' || task.state === 'cached').length;
}

async function waitForLoopStart(dev: KilnDev, runId: string): Promise<Run> {
  for (const deadline = Date.now() + 300_000; Date.now() < deadline;) {
    const run = await getRun(dev, runId);
    if (loopDone(run) > 0 || run.finishedAt) return run;
    await new Promise((wait) => setTimeout(wait, 1000));
  }
  throw new Error(`run ${runId}: no iteration of the loop finished within 5 minutes`);
}

async function measurePhase(
  browser: BenchBrowser,
  dev: KilnDev,
  temporal: TemporalTarget,
  runId: string,
  repetitions: number,
): Promise<LoopPhase> {
  const first = await getRun(dev, runId);
  const phase: LoopPhase = {
    doneBefore: loopDone(first),
    doneAfter: 0,
    kiln: [],
    temporalHistory: [],
    temporalQuery: [],
    historyLength: first.temporal.historyLength,
  };
  for (let i = 0; i < repetitions; i++) {
    const { page, open } = await openRunPage(browser, dev, runId, 'fan');
    await page.close();
    phase.kiln.push(open);
    if (temporal.ui) {
      const tr = first.temporal.runId;
      phase.temporalHistory.push(await temporalHistory(browser, temporal.ui, temporal.namespace, runId, tr));
      phase.temporalQuery.push(await temporalStatusQuery(browser, temporal.ui, temporal.namespace, runId, tr));
    }
  }
  const last = await getRun(dev, runId);
  return { ...phase, doneAfter: loopDone(last), historyLength: last.temporal.historyLength };
}

/**
 * @example
 * ```ts
 * const loop = await benchLoopRun(browser, dev, temporal, { iterations: 10_000, parallelism: 64, repetitions: 5, watchSeconds: 10, runTimeoutMinutes: 40 });
 * ```
 */
export async function benchLoopRun(
  browser: BenchBrowser,
  dev: KilnDev,
  temporal: TemporalTarget,
  options: LoopOptions,
): Promise<LoopResult> {
  const { name } = await uploadPipeline(dev, loopPipeline(options.iterations, options.parallelism));
  const runId = await startRun(dev, name, { cache: false });
  const started = Date.now();
  await waitForLoopStart(dev, runId);
  console.error(`loop run ${runId}: started; measuring its run page while it runs`);
  const running = await measurePhase(browser, dev, temporal, runId, options.repetitions);
  const { page } = await openRunPage(browser, dev, runId, 'fan');
  const watch = await watchRunPage(page, 'fan', 'prepare', options.watchSeconds);
  await page.close();
  console.error(`loop run ${runId}: waiting for the end (${options.iterations} iterations)`);
  const final = await waitForRunEnd(dev, runId, options.runTimeoutMinutes * 60_000, 5000).catch((error: unknown) => {
    console.error(`loop run ${runId}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  });
  if (!final) return { ...options, runId, running, watch, finalState: 'did not end in time' };
  const runSeconds = (Date.parse(final.finishedAt ?? '') - Date.parse(final.startedAt)) / 1000;
  console.error(
    `loop run ${runId}: ${final.state} after ${runSeconds} s (bench clock ${(Date.now() - started) / 1000} s)`,
  );
  const ended = await measurePhase(browser, dev, temporal, runId, options.repetitions);
  return { ...options, runId, running, watch, ended, runSeconds, finalState: final.state };
}
