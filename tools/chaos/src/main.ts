/**
 * The full chaos soak as a command; writes its figures to tools/bench/results/chaos.md and exits
 * non-zero unless every run survived, nothing was lost and no pod leaked.
 *
 *   npx tsx tools/chaos/src/main.ts --runs 24 --minutes 5 [--faults-per-kind 3] [--settle-minutes 4]
 *                                   [--seed 1] [--max-runs 96] [--out tools/bench/results/chaos.md]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { workspaceRoot } from '@kiln/testing';
import { chaosMarkdown, lostRuns } from './report';
import { runSoak, survived } from './soak';

function positive(name: string, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || n > max)
      throw new InvalidArgumentError(`${name} must be a number in (0, ${max}]; got ${value}`);
    return n;
  };
}

const program = new Command('chaos')
  .description(
    'Concurrent Kubernetes-executor runs while the worker, Temporal, MinIO and the apiserver crash and step pods vanish',
  )
  .option('--runs <n>', 'runs in flight at once', positive('--runs', 200), 24)
  .option('--minutes <m>', 'length of the chaos window', positive('--minutes', 60), 5)
  .option('--faults-per-kind <n>', 'faults of each kind in the window', positive('--faults-per-kind', 50), 3)
  .option(
    '--settle-minutes <m>',
    'after the window, how long runs may take to end',
    positive('--settle-minutes', 60),
    4,
  )
  .option(
    '--max-runs <n>',
    'runs in all, at most (finished runs are replaced during the window)',
    positive('--max-runs', 2000),
  )
  .option(
    '--seed <n>',
    'seed of the random plan (faults, parameters)',
    positive('--seed', 2 ** 31),
    Date.now() % 100_000,
  )
  .option('--out <file>', 'where the figures go', join(workspaceRoot(), 'tools', 'bench', 'results', 'chaos.md'))
  .showHelpAfterError();

async function main(): Promise<void> {
  program.parse(process.argv);
  const o = program.opts<{
    runs: number;
    minutes: number;
    faultsPerKind: number;
    settleMinutes: number;
    maxRuns?: number;
    seed: number;
    out: string;
  }>();
  const workDir = mkdtempSync(join(tmpdir(), 'kiln-chaos-'));
  const log = (line: string) => process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  log(`seed ${o.seed}; scratch ${workDir}`);
  try {
    const report = await runSoak({
      runs: Math.round(o.runs),
      windowMs: o.minutes * 60_000,
      faultsPerKind: Math.round(o.faultsPerKind),
      settleMs: o.settleMinutes * 60_000,
      maxRuns: Math.round(o.maxRuns ?? o.runs * 4),
      seed: Math.round(o.seed),
      workDir,
      log,
    });
    const command = `npx tsx tools/chaos/src/main.ts ${process.argv.slice(2).join(' ')}`.trim();
    writeFileSync(o.out, chaosMarkdown(report, command));
    const ok = report.runs.filter(survived).length;
    log(
      `wrote ${o.out}: ${report.runs.length} runs, ${report.faults.length} faults, ${ok} survived, ${lostRuns(report)} lost, ${report.leakedPods.length} leaked pods`,
    );
    for (const r of report.runs.filter((x) => !survived(x))) log(`FAILED ${r.workflowId}: ${r.problems.join('; ')}`);
    for (const p of report.problems) log(`PROBLEM ${p}`);
    if (ok !== report.runs.length || report.leakedPods.length > 0 || report.problems.length > 0) process.exitCode = 1;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
