/**
 * The soak's figures as Markdown (tools/bench/results/chaos.md): runs, faults injected per kind,
 * survived, lost, duration, machine and date, then every fault and every run that did not survive.
 */
import { cpus, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { faultKinds } from './faults';
import { faultCounts, survived, type SoakReport } from './soak';

/** CPU model and count, memory, load average and Node version of this machine. */
export function machine(): string {
  const load = (() => {
    try {
      return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    } catch {
      return 'unknown';
    }
  })();
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, load ${load} at the end, Node ${process.version}`;
}

/** Lost = a run with no final state, or one whose outputs are missing or wrong. */
export function lostRuns(report: SoakReport): number {
  return report.runs.filter(
    (r) => r.state === 'LOST' || r.problems.some((p) => /lost|missing|cannot be read|hashes to|holds/.test(p)),
  ).length;
}

/**
 * @example
 * ```ts
 * writeFileSync('tools/bench/results/chaos.md', chaosMarkdown(report, 'npx tsx tools/chaos/src/main.ts --runs 24 --minutes 5'));
 * ```
 */
export function chaosMarkdown(report: SoakReport, command: string): string {
  const counts = faultCounts(report.faults);
  const ok = report.runs.filter(survived).length;
  const states = (s: string) => report.runs.filter((r) => r.state === s).length;
  const lines = [
    '# Chaos soak',
    '',
    `Command: \`${command}\` (tools/chaos; see its README). Seed ${report.seed}.`,
    '',
    '| figure | value |',
    '|---|---|',
    `| date | ${report.startedAt} |`,
    `| machine | ${machine()} |`,
    `| duration | ${report.durationSeconds} s (chaos window ${report.windowSeconds} s; the rest is starting private servers, settling and checking) |`,
    `| runs | ${report.runs.length} (${report.concurrency} in flight at once): ${states('SUCCEEDED')} SUCCEEDED, ${states('FAILED')} FAILED, ${states('LOST')} without a final state; ${report.runs.filter((r) => !r.problems.some((p) => p.startsWith('run ended'))).length} in the state their parameters imply (every fifth run asks its last step to fail) |`,
    `| faults injected | ${report.faults.length}: ${faultKinds.map((k) => `${k} ${counts[k]}`).join(', ')} |`,
    `| faults planned but not injected | ${report.faultsNotInjected.length}${report.faultsNotInjected.length ? ` (${report.faultsNotInjected.map((f) => f.kind).join(', ')}: no step pod running, or every run had ended)` : ''} |`,
    `| survived | ${ok} of ${report.runs.length} |`,
    `| lost | ${lostRuns(report)} |`,
    `| artifacts read back from MinIO and digest-verified | ${report.artifactsVerified} |`,
    `| completed step output records (one per succeeded task instance expected) | ${report.completedOutputs} |`,
    `| leaked pods | ${report.leakedPods.length}${report.leakedPods.length ? `: ${report.leakedPods.join(', ')}` : ''} |`,
    `| other problems | ${report.problems.length} |`,
    '',
    '## Faults',
    '',
    '| t (s) | kind | what happened |',
    '|---|---|---|',
    ...report.faults.map((f) => `| ${f.atSeconds} | ${f.kind} | ${f.detail} |`),
  ];
  const failed = report.runs.filter((r) => !survived(r));
  if (failed.length > 0 || report.problems.length > 0) {
    lines.push('', '## Problems', '');
    for (const p of report.problems) lines.push(`- ${p.split('\n')[0]}`);
    for (const r of failed) lines.push(`- ${r.workflowId} (${JSON.stringify(r.params)}): ${r.problems.join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}
