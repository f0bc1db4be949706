/**
 * Turns the JSON lines of tools/bench/compile/run.sh (Kiln and KFP) into
 * tools/bench/results/compile.md: machine, date, one table, Kiln/KFP ratios.
 *
 *   node --import tsx tools/bench/compile/report.ts compile.jsonl <started-iso> "<loadavg>"
 */
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

interface Row {
  tool: 'kiln' | 'kfp';
  version?: string;
  shape: string;
  tasks: number;
  runs: number;
  median_ms?: number;
  median_cpu_ms?: number;
  ir_bytes?: number;
  capped?: boolean;
  did_not_finish_s?: number;
}

const [file, started, loadBefore] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: report.ts <jsonl> [started] [loadavg]');
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim().startsWith('{'))
  .map((l) => JSON.parse(l) as Row);

const fmt = (n: number | undefined, digits = 1): string =>
  n === undefined ? '' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits);
const cpuModel = cpus()[0]?.model ?? 'unknown';
const kfpVersion = rows.find((r) => r.tool === 'kfp' && r.version)?.version ?? '2.17.3';
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const out: string[] = [];
out.push('# Compile benchmark: Kiln vs KFP', '');
out.push(
  'Written by `tools/bench/compile/run.sh` (Kiln: `tools/bench/compile/bench.ts`; KFP: `tools/bench/kfp/compile_bench.py`), both in one run.',
  '',
);
out.push(`- Date: ${started ?? new Date().toISOString()} (UTC)`);
out.push(`- Machine: ${cpus().length} CPUs (nproc), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${cpuModel}`);
out.push(
  `- Load average before / after: ${loadBefore ?? '?'} / ${load} (other jobs shared this machine; wall-clock numbers are inflated accordingly, Kiln's CPU-time column less so)`,
);
out.push(
  `- Kiln: ${rows.find((r) => r.tool === 'kiln')?.version ?? 'node'}, define + compile (IR + validation) + canonical JSON; KFP ${kfpVersion}: define (traces and builds the spec) + compile (YAML)`,
);
out.push(
  "- Shapes: chain = each task takes the previous task's output; fanout = one source, N-2 consumers, one sink `.after()` all consumers. One container component (string in, string out).",
);
out.push(
  '- IR bytes: Kiln canonical JSON (components deduplicated: one copy of the component); KFP YAML (one component + executor copy per task).',
  '',
);
out.push('| tool | shape | tasks | runs | median ms | Kiln CPU ms | IR bytes | bytes/task |');
out.push('|---|---|---:|---:|---:|---:|---:|---:|');
for (const shape of [...new Set(rows.map((r) => r.shape))]) {
  for (const tasks of [...new Set(rows.filter((r) => r.shape === shape).map((r) => r.tasks))].sort((a, b) => a - b)) {
    for (const tool of ['kiln', 'kfp'] as const) {
      const r = rows.find((x) => x.tool === tool && x.shape === shape && x.tasks === tasks);
      if (!r) continue;
      if (r.did_not_finish_s !== undefined) {
        out.push(
          `| ${tool} | ${shape} | ${tasks.toLocaleString('en-US')} | 0 | did not finish in ${r.did_not_finish_s} s | | | |`,
        );
        continue;
      }
      out.push(
        `| ${tool} | ${shape} | ${tasks.toLocaleString('en-US')} | ${r.runs}${r.capped ? ' (capped)' : ''} | ${fmt(r.median_ms)} | ${fmt(r.median_cpu_ms)} | ${fmt(r.ir_bytes)} | ${r.ir_bytes ? Math.round(r.ir_bytes / tasks) : ''} |`,
      );
    }
  }
}
out.push('', '## Ratios (KFP / Kiln)', '');
out.push('| shape | tasks | time ratio | IR size ratio |');
out.push('|---|---:|---:|---:|');
for (const k of rows.filter((r) => r.tool === 'kiln')) {
  const f = rows.find((r) => r.tool === 'kfp' && r.shape === k.shape && r.tasks === k.tasks);
  if (!f) continue;
  if (f.did_not_finish_s !== undefined) {
    out.push(
      `| ${k.shape} | ${k.tasks.toLocaleString('en-US')} | > ${fmt((f.did_not_finish_s * 1000) / (k.median_ms ?? 1), 0)}x (KFP did not finish in ${f.did_not_finish_s} s) | |`,
    );
    continue;
  }
  const t = (f.median_ms ?? 0) / (k.median_ms ?? 1);
  const b = (f.ir_bytes ?? 0) / (k.ir_bytes ?? 1);
  out.push(`| ${k.shape} | ${k.tasks.toLocaleString('en-US')} | ${t.toFixed(1)}x | ${b.toFixed(2)}x |`);
}
out.push('', 'Raw JSON lines: `tools/bench/results/compile.jsonl`.', '');
process.stdout.write(out.join('\n'));
