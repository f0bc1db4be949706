/**
 * KFP import benchmark; writes tools/bench/results/kfp-import.md.
 *
 *   KILN_TESTENV="$(cat /tmp/testenv.json)" node --import tsx tools/bench/kfp-import/bench.ts [--runs 5] [--rounds 5] [--steps 5]
 *
 * 1. Translation: `translateKfpPipeline` (YAML parse + translation + IR validation) of the compile
 *    benchmark's `chain` shape with its lightweight Python component, 1,000 and 10,000 tasks
 *    (make_yaml.py: the pinned SDK compiles 1,000; 10,000 extends that YAML as the SDK names tasks,
 *    because the SDK does not compile 10,000 tasks within 600 s). Median of --runs after one warm-up.
 * 2. Per-step overhead of a KFP lightweight Python component: the same compiled YAML (a chain of
 *    --steps components, `pip install kfp` bootstrap included) run by Kiln's local executor (a real
 *    worker on tools/testenv's Temporal, the bootstrap replaced by a cached virtualenv) and by
 *    `kfp.local.SubprocessRunner` (the bootstrap runs, and finds kfp installed), interleaved for
 *    --rounds rounds after one untimed warm-up of each. Wall time of the run / steps.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { translateKfpPipeline } from '@kiln/kfp';
import { startRealEngine, workspaceRoot, type RealEngine } from '@kiln/testing';

const root = workspaceRoot();
const here = join(root, 'tools/bench/kfp-import');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

interface Made {
  chains: Record<string, string>;
  steps: string;
  stepsCount: number;
}

function translationRows(made: Made, runs: number): string[] {
  const rows: string[] = [];
  for (const [n, path] of Object.entries(made.chains)) {
    const text = readFileSync(path, 'utf8');
    translateKfpPipeline(text); // warm-up
    const times: number[] = [];
    let tasks = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const spec = translateKfpPipeline(text);
      times.push(performance.now() - t0);
      tasks = Object.keys(spec.root.tasks).length;
    }
    const ms = median(times);
    process.stderr.write(`translate ${n}: ${fmt(ms)} ms\n`);
    rows.push(
      `| ${fmt(Number(n))} | ${fmt(tasks)} | ${fmt(text.length / 1e6, 1)} MB | ${runs} | ${fmt(ms)} | ${fmt(Math.min(...times))} | ${fmt((ms * 1000) / Number(n))} |`,
    );
  }
  return rows;
}

async function kilnRun(engine: RealEngine, text: string): Promise<number> {
  const spec = translateKfpPipeline(text);
  const t0 = performance.now();
  const run = await engine.run(spec, {}, { cache: false });
  const seconds = (performance.now() - t0) / 1000;
  if (run.doc.state !== 'SUCCEEDED') throw new Error(`kiln run ${run.doc.state}: ${run.error ?? ''}`);
  return seconds;
}

function kfpRun(python: string, yaml: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'kfp-local-'));
  try {
    const out = execFileSync(python, [join(here, 'kfp_local_run.py'), yaml, dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return (JSON.parse(out.trim().split('\n').at(-1) as string) as { seconds: number }).seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function overhead(python: string, made: Made, rounds: number): Promise<{ kiln: number[]; kfp: number[] }> {
  const text = readFileSync(made.steps, 'utf8');
  const engine = await startRealEngine({ maxConcurrentActivityTaskExecutions: 2 });
  try {
    // Untimed warm-ups: Kiln builds its cached virtualenv, both load their code.
    await kilnRun(engine, text);
    kfpRun(python, made.steps);
    const kiln: number[] = [];
    const kfp: number[] = [];
    for (let round = 0; round < rounds; round++) {
      kiln.push(await kilnRun(engine, text));
      kfp.push(kfpRun(python, made.steps));
      process.stderr.write(
        `round ${round + 1}: kiln ${fmt(kiln.at(-1) as number, 2)} s, kfp ${fmt(kfp.at(-1) as number, 2)} s\n`,
      );
    }
    return { kiln, kfp };
  } finally {
    await engine.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '5' },
      steps: { type: 'string', default: '5' },
    },
  });
  const runs = Number(values.runs);
  const rounds = Number(values.rounds);
  const started = new Date().toISOString();
  const loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const python = execFileSync('bash', [join(root, 'tools/bench/kfp/setup.sh')], { encoding: 'utf8' }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'kiln-kfp-import-'));
  const made = JSON.parse(
    execFileSync(python, [join(here, 'make_yaml.py'), dir, '--sizes', '1000,10000', '--steps', String(values.steps)], {
      encoding: 'utf8',
    }),
  ) as Made;
  const translation = translationRows(made, runs);
  const { kiln, kfp } = await overhead(python, made, rounds);
  const loadAfter = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const steps = made.stepsCount;
  const perStep = (xs: number[]) => median(xs) / steps;
  const md = [
    '# KFP import benchmark',
    '',
    'Written by `tools/bench/kfp-import/bench.ts` (YAML from `make_yaml.py` with the pinned SDK, kfp 2.17.3).',
    '',
    `- Date: ${started} (UTC)`,
    `- Machine: ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, node ${process.version}`,
    `- Load average before / after: ${loadBefore} / ${loadAfter} (other jobs share this machine; wall-clock numbers are inflated accordingly)`,
    '',
    '## Translating KFP YAML to Kiln IR',
    '',
    "`translateKfpPipeline`: YAML parse, translation and IR validation, in this process. The compile benchmark's `chain` shape with its lightweight Python component (KFP embeds the function source and the pip bootstrap in every executor). The SDK compiled the 1,000-task file; it does not compile 10,000 tasks within 600 s (tools/bench/results/compile.md), so the 10,000-task file is the SDK's 1,000-task YAML extended task by task as the SDK names them.",
    '',
    '| tasks | Kiln tasks | YAML | runs | median ms | min ms | µs/task |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...translation,
    '',
    '## Per-step overhead of a KFP lightweight Python component',
    '',
    `The same compiled YAML (a chain of ${steps} components \`step(text: str) -> str\`, each with KFP's \`pip install kfp==2.17.3\` bootstrap), run ${rounds} times each, interleaved (Kiln, KFP, Kiln, ...), after one untimed warm-up of each.`,
    '',
    "- Kiln: the YAML translated (untimed), then a run on the local executor (`startRealEngine`: a real worker on tools/testenv's Temporal dev server, step cache off). The bootstrap is replaced by a cached virtualenv with the same pip installs; each step runs `python3 -m kfp.dsl.executor_main` with Kiln's executor_input. Wall time from start to result.",
    "- KFP: `kfp.local.SubprocessRunner(use_venv=False)` running `load_component_from_file(yaml)()`; each step runs the command as written, so its `pip install kfp==2.17.3 --no-deps` finds kfp installed (this interpreter's venv). Wall time of the pipeline call (the Python start-up and `import kfp` before it are not counted).",
    '',
    '| runner | runs | median s (run) | median s/step | min s/step | max s/step |',
    '|---|---:|---:|---:|---:|---:|',
    `| Kiln local executor | ${rounds} | ${fmt(median(kiln), 2)} | ${fmt(perStep(kiln), 2)} | ${fmt(Math.min(...kiln) / steps, 2)} | ${fmt(Math.max(...kiln) / steps, 2)} |`,
    `| kfp.local SubprocessRunner | ${rounds} | ${fmt(median(kfp), 2)} | ${fmt(perStep(kfp), 2)} | ${fmt(Math.min(...kfp) / steps, 2)} | ${fmt(Math.max(...kfp) / steps, 2)} |`,
    '',
    `Ratio (KFP / Kiln, median per step): ${fmt(perStep(kfp) / perStep(kiln), 2)}`,
    '',
    'Raw seconds per run:',
    '',
    `- Kiln: ${kiln.map((s) => fmt(s, 2)).join(', ')}`,
    `- KFP: ${kfp.map((s) => fmt(s, 2)).join(', ')}`,
    '',
  ].join('\n');
  writeFileSync(join(root, 'tools/bench/results/kfp-import.md'), md);
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write('wrote tools/bench/results/kfp-import.md\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
