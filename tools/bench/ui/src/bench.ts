/**
 * One run of the UI benchmark: the shipped JS measured from apps/ui/dist, then
 * against a real `kiln dev` (its own task queue) in Debian's Chromium, side by
 * side with the Temporal UI: the graph of a big pipeline, the run page of a
 * real loop run (while it runs and after), and the runs list with many runs.
 */
import { join } from 'node:path';
import { uploadPipeline } from './api';
import { launchBrowser, type BenchBrowser } from './browser';
import { measureGraph, type GraphTiming } from './graph-page';
import { measureJs, overBudget, type JsSizes } from './js-size';
import { startKilnDev, type KilnDev } from './kiln-dev';
import { benchLoopRun, type LoopResult } from './loop-run';
import { describeMachine, loadAverage, type Machine } from './machine';
import { workspaceRoot } from './paths';
import { idlePipeline, widePipeline } from './pipelines';
import { createRuns, measureRunsList, type RunsCreated, type RunsListTiming } from './runs-list';
import { privateTemporal, testenvTemporal, type TemporalTarget } from './temporal';
import { temporalWorkflowList, type TemporalPageTiming } from './temporal-ui';

export type Section = 'graph' | 'loop' | 'list';

export interface BenchOptions {
  /** Our own in-memory Temporal dev server (with its UI), or KILN_TESTENV's. */
  readonly temporal: 'private' | 'testenv';
  readonly repetitions: number;
  /** Time the same pages in the Temporal UI too (off in the short test, which must stay short). */
  readonly compareTemporalUi: boolean;
  readonly sections: readonly Section[];
  readonly graph: { readonly stages: number; readonly width: number };
  readonly loop: {
    readonly iterations: number;
    readonly parallelism: number;
    readonly watchSeconds: number;
    readonly runTimeoutMinutes: number;
  };
  readonly list: { readonly runs: number; readonly concurrency: number; readonly budgetSeconds: number };
}

export interface ListResult {
  readonly pipeline: string;
  readonly created: RunsCreated;
  readonly kiln: RunsListTiming[];
  readonly temporal: TemporalPageTiming[];
}

export interface BenchResults {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: Machine;
  readonly load: { readonly before: string; readonly after: string };
  readonly temporal: 'private' | 'testenv';
  readonly options: BenchOptions;
  readonly js: JsSizes & { readonly overBudget: string[] };
  readonly graph?: { readonly tasks: number; readonly samples: GraphTiming[] };
  readonly loop?: LoopResult;
  readonly list?: ListResult;
  /** Sections that failed, with their error: the others' results are still written. */
  readonly errors: string[];
}

async function section<T>(name: Section, errors: string[], run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const message = `${name}: ${error instanceof Error ? error.message : String(error)}`;
    console.error(`section failed: ${message}`);
    errors.push(message);
    return undefined;
  }
}

async function benchGraph(browser: BenchBrowser, dev: KilnDev, options: BenchOptions) {
  const { stages, width } = options.graph;
  const { name, version } = await uploadPipeline(dev, widePipeline(stages, width));
  const samples: GraphTiming[] = [];
  for (let i = 0; i < options.repetitions; i++) samples.push(await measureGraph(browser, dev, name, version));
  return { tasks: stages * width, samples };
}

async function benchList(
  browser: BenchBrowser,
  dev: KilnDev,
  temporal: TemporalTarget,
  options: BenchOptions,
): Promise<ListResult> {
  const pipeline = `bench-ui-idle-${process.pid}`;
  await uploadPipeline(dev, idlePipeline(pipeline));
  const { runs, concurrency, budgetSeconds } = options.list;
  const created = await createRuns(dev, pipeline, runs, concurrency, budgetSeconds);
  console.error(`runs list: ${created.created} runs started in ${created.seconds} s`);
  const kiln: RunsListTiming[] = [];
  const temporalPages: TemporalPageTiming[] = [];
  for (let i = 0; i < options.repetitions; i++) {
    kiln.push(await measureRunsList(browser, dev, pipeline));
    if (temporal.ui) temporalPages.push(await temporalWorkflowList(browser, temporal.ui, temporal.namespace, pipeline));
  }
  return { pipeline, created, kiln, temporal: temporalPages };
}

/**
 * @example
 * ```ts
 * const results = await runBench({ temporal: 'private', repetitions: 5, sections: ['graph', 'loop', 'list'], … });
 * ```
 */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  const before = loadAverage();
  const sizes = measureJs(join(workspaceRoot(), 'apps/ui/dist'));
  const js = { ...sizes, overBudget: overBudget(sizes) };
  const server = options.temporal === 'private' ? await privateTemporal() : testenvTemporal();
  // Without the comparison the sections never learn the Temporal UI's address.
  const temporal: TemporalTarget = options.compareTemporalUi ? server : { ...server, ui: undefined };
  let dev: KilnDev | undefined;
  let browser: BenchBrowser | undefined;
  try {
    dev = await startKilnDev(temporal, `kiln-bench-ui-${process.pid}`);
    browser = await launchBrowser();
    const on = new Set(options.sections);
    const errors: string[] = [];
    const [b, d] = [browser, dev];
    const graph = on.has('graph') ? await section('graph', errors, () => benchGraph(b, d, options)) : undefined;
    const loopOptions = { ...options.loop, repetitions: options.repetitions };
    const loop = on.has('loop')
      ? await section('loop', errors, () => benchLoopRun(b, d, temporal, loopOptions))
      : undefined;
    const list = on.has('list') ? await section('list', errors, () => benchList(b, d, temporal, options)) : undefined;
    return {
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: describeMachine(browser.version),
      load: { before, after: loadAverage() },
      temporal: temporal.kind,
      options,
      js,
      ...(graph ? { graph } : {}),
      ...(loop ? { loop } : {}),
      ...(list ? { list } : {}),
      errors,
    };
  } finally {
    await browser?.close();
    await dev?.stop();
    await server.stop();
  }
}
