/**
 * The UI benchmark's entry: runs it and writes tools/bench/results/ui.json (every sample) and ui.md.
 *
 *   npx tsx tools/bench/ui/src/main.ts                 # 5 repetitions; 10,000-iteration loop; 10,000 runs (≤ 5 min of starting)
 *   npx tsx tools/bench/ui/src/main.ts --iterations 2000 --list-runs 1000 --repetitions 3
 *
 * Options: --repetitions N (5), --temporal private|testenv (private), --sections graph,loop,list,
 * --stages 25 --width 40 (the graph), --iterations 10000 --parallelism 64 --watch-seconds 10
 * --run-timeout-minutes 40 (the loop run), --list-runs 10000 --list-concurrency 32 --list-seconds 300,
 * --out <dir> (tools/bench/results); `--render <ui.json>` only writes ui.md again from recorded results; --no-temporal-ui 1 (leave the Temporal UI out).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { runBench, type BenchOptions, type BenchResults, type Section } from './bench';
import { workspaceRoot } from './paths';
import { renderReport } from './report';

const sectionNames: readonly Section[] = ['graph', 'loop', 'list'];

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`--${name} must be a positive number, got '${value}'`);
  return number;
}

function sections(value: string | undefined): Section[] {
  if (value === undefined) return [...sectionNames];
  return value.split(',').map((name) => {
    const section = sectionNames.find((known) => known === name);
    if (!section) throw new Error(`--sections: unknown section '${name}' (known: ${sectionNames.join(', ')})`);
    return section;
  });
}

const flags = [
  'repetitions',
  'temporal',
  'sections',
  'stages',
  'width',
  'iterations',
  'parallelism',
  'watch-seconds',
  'run-timeout-minutes',
  'list-runs',
  'list-concurrency',
  'list-seconds',
  'out',
  'no-temporal-ui',
] as const;

function readOptions(argv: string[]): { options: BenchOptions; out: string } {
  const { values: v } = parseArgs({
    args: argv,
    options: Object.fromEntries(flags.map((flag) => [flag, { type: 'string' as const }])),
  });
  const get = (flag: (typeof flags)[number]) => {
    const value = v[flag];
    return typeof value === 'string' ? value : undefined;
  };
  const temporal = get('temporal') ?? 'private';
  if (temporal !== 'private' && temporal !== 'testenv')
    throw new Error(`--temporal must be private or testenv, got '${temporal}'`);
  const options: BenchOptions = {
    temporal,
    repetitions: positive('repetitions', get('repetitions'), 5),
    compareTemporalUi: get('no-temporal-ui') === undefined,
    sections: sections(get('sections')),
    graph: { stages: positive('stages', get('stages'), 25), width: positive('width', get('width'), 40) },
    loop: {
      iterations: positive('iterations', get('iterations'), 10_000),
      parallelism: positive('parallelism', get('parallelism'), 64),
      watchSeconds: positive('watch-seconds', get('watch-seconds'), 10),
      runTimeoutMinutes: positive('run-timeout-minutes', get('run-timeout-minutes'), 40),
    },
    list: {
      runs: positive('list-runs', get('list-runs'), 10_000),
      concurrency: positive('list-concurrency', get('list-concurrency'), 32),
      budgetSeconds: positive('list-seconds', get('list-seconds'), 300),
    },
  };
  return { options, out: get('out') ?? join(workspaceRoot(), 'tools/bench/results') };
}

/** `--render <ui.json>`: writes ui.md again from recorded results (after a change to the report's layout). */
function renderOnly(json: string): void {
  const results: BenchResults = { errors: [], ...JSON.parse(readFileSync(json, 'utf8')) };
  writeFileSync(join(dirname(json), 'ui.md'), renderReport(results));
  console.error(`wrote ${join(dirname(json), 'ui.md')} from ${json}`);
}

async function main(): Promise<void> {
  const [flag, json] = process.argv.slice(2);
  if (flag === '--render' && json) return renderOnly(json);
  const { options, out } = readOptions(process.argv.slice(2));
  const results = await runBench(options);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'ui.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(out, 'ui.md'), renderReport(results));
  console.error(`wrote ${join(out, 'ui.md')} and ui.json`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
