/**
 * Turns the JSON lines of bench.ts into tools/bench/results/engine.md.
 *
 *   node --import tsx tools/bench/engine/report.ts tools/bench/results/engine.jsonl "<load before>" > tools/bench/results/engine.md
 */
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

const [file = 'tools/bench/results/engine.jsonl', loadBefore = ''] = process.argv.slice(2);
type Rec = Record<string, unknown> & {
  kind: string;
  variant?: string;
  n: number;
  wallMs: number;
  insideMs?: number;
  at: string;
  load: string;
};
const recs = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Rec);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};
const f = (x: number, d = 0) =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '—';
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${f(a / b, 1)}×` : '—');

const start = recs.find((r) => r.kind === 'start');
const last = recs[recs.length - 1];
const chain = recs.filter((r) => r.kind === 'chain');
const N = Number(start?.['chain'] ?? 50);
const names: Record<string, string> = {
  kiln: 'Kiln (`kilnPipelineRun`, local executor, launcher in the worker: the default)',
  'kiln-process': "Kiln, `launcherMode: 'process'` (a launcher child process per step: the old default)",
  hand: 'hand-written Temporal workflow + activity',
  raw: 'raw `spawn` from Node, in sequence',
  kfp: 'KFP 2.17.3 `kfp.local.SubprocessRunner`',
};
const rows = ['kiln', 'kiln-process', 'hand', 'raw', 'kfp'].map((v) => {
  const rs = chain.filter((r) => r.variant === v);
  const wall = median(rs.map((r) => r.wallMs));
  const inside =
    rs.every((r) => typeof r.insideMs === 'number') && rs.length ? median(rs.map((r) => r.insideMs ?? NaN)) : NaN;
  const over =
    rs.every((r) => typeof r.insideMs === 'number') && rs.length
      ? median(rs.map((r) => (r.wallMs - (r.insideMs ?? NaN)) / N))
      : NaN;
  return { v, runs: rs.length, wall, inside, over, perStep: wall / N, walls: rs.map((r) => r.wallMs) };
});
const none = { v: '', runs: 0, wall: NaN, inside: NaN, over: NaN, perStep: NaN, walls: [] as number[] };
const by = (v: string) => rows.find((r) => r.v === v) ?? none;
const rawPer = by('raw').perStep;

const out: string[] = [];
out.push('# Engine benchmark: orchestration overhead and big loops');
out.push('');
out.push(
  `Date: ${start?.at ?? '?'} to ${last?.at ?? '?'} (UTC). Produced by \`tools/bench/engine/run.sh\` (one run of`,
);
out.push('`tools/bench/engine/bench.ts`, every variant side by side on the same private in-memory Temporal dev server');
out.push('(temporal CLI 1.9.1, `--headless`, 127.0.0.1), variants interleaved per repetition in rotating order).');
out.push('');
out.push(
  `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${f(totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version}.`,
);
out.push(
  `Shared and busy: load average (1, 5, 15 min) ${loadBefore ? `before the run ${loadBefore}, ` : ''}at the first measurement ${start?.load ?? '?'}, at the last ${last?.load ?? '?'}`,
);
out.push(
  "(each JSON line in `engine.jsonl` carries the load at that moment). The other load came from other engineers' builds and",
);
out.push(
  'tests on the same 2 CPUs, so absolute times are inflated; the ratios of interleaved variants are the meaningful part.',
);
out.push('');
out.push(`## (a) ${N}-step chain of no-op steps (\`/bin/true\`)`);
out.push('');
out.push(
  `Medians of ${Math.min(...rows.filter((r) => r.runs).map((r) => r.runs))} timed runs each (one untimed 3-step warm-up per variant first). Times in ms.`,
);
out.push('');
out.push(
  '| variant | runs | wall (median) | time inside steps (median) | overhead per step = (wall − inside)/' +
    N +
    ' | wall per step | Kiln wall ÷ this wall |',
);
out.push('|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  if (!r.runs) continue;
  out.push(
    `| ${names[r.v]} | ${r.runs} | ${f(r.wall)} | ${Number.isFinite(r.inside) ? f(r.inside) : 'n/a'} | ${Number.isFinite(r.over) ? f(r.over, 1) : 'n/a'} | ${f(r.perStep, 1)} | ${ratio(by('kiln').wall, r.wall)} |`,
  );
}
out.push('');
out.push(
  'All wall times per run (ms): ' +
    rows
      .filter((r) => r.runs)
      .map((r) => `${r.v} ${r.walls.map((x) => f(x)).join(', ')}`)
      .join('; ') +
    '.',
);
out.push('');
out.push('What "time inside the steps" is:');
out.push(
  "- **Kiln** (both launcher modes): the launcher's own measurement, `startedAt`→`finishedAt` of each step's executor-output",
);
out.push(
  "  record in the artifact store (from the launcher's `runStep` start, through running `/bin/true`, to outputs published; in",
);
out.push(
  "  `process` mode it does not include starting the launcher's Node process, which is part of the overhead). Summed over the steps.",
);
out.push(
  '- **hand-written** and **raw spawn**: spawn→exit of each `/bin/true` as timed by its parent (the activity / the driver).',
);
out.push(
  '- **KFP**: KFP reports no per-step times, so only wall time; its step is a lightweight Python component with body `pass`',
);
out.push(
  '  (`install_kfp_package=False`): SubprocessRunner refuses container components, so each KFP step is a Python process',
);
out.push('  importing the KFP executor, not `/bin/true`.');
out.push('');
const breakdown = chain.filter(
  (r) =>
    (r.variant?.startsWith('kiln') && typeof r['runStepActivityMs'] === 'number') ||
    (r.variant === 'hand' && typeof r['activityMs'] === 'number'),
);
if (breakdown.length) {
  out.push("Where the time goes, per step, from each run's history (medians over the timed runs):");
  out.push('');
  out.push(
    "| variant | step activity start→complete | of which inside the step (Kiln: the launcher's own span; hand: spawn→exit) | rest of the activity | workflow time between steps (completed → next scheduled) | history events per run |",
  );
  out.push('|---|---:|---:|---:|---:|---:|');
  for (const v of ['kiln', 'kiln-process', 'hand']) {
    const kb = breakdown.filter((r) => r.variant === v);
    if (!kb.length) continue;
    const m = (key: string) => median(kb.map((r) => Number(r[key])));
    const activity = m(v === 'hand' ? 'activityMs' : 'runStepActivityMs') / N;
    const launcher = median(kb.map((r) => r.insideMs ?? NaN)) / N;
    out.push(
      `| ${v} | ${f(activity, 1)} ms | ${f(launcher, 1)} ms | ${f(activity - launcher, 1)} ms | ${f(m('betweenStepsMs') / (N - 1), 1)} ms | ${f(m('historyEvents'))} |`,
    );
  }
  out.push('');
  out.push(
    '"Rest of the activity": Temporal delivering the task to the worker and taking its completion, plus, for Kiln, the record',
  );
  out.push(
    "check, opening the step log and writing the executor-output record (in `process` mode mostly starting the launcher's Node process).",
  );
  out.push('');
}
const k = by('kiln');
const kp = by('kiln-process');
const h = by('hand');
out.push('Ratios (wall per step, medians):');
out.push(
  `- Kiln / hand-written Temporal: ${ratio(k.perStep, h.perStep)}; Kiln / raw spawn: ${ratio(k.perStep, rawPer)}; hand-written / raw spawn: ${ratio(h.perStep, rawPer)}.`,
);
if (kp.runs) {
  out.push(
    `- Launcher in the worker vs a launcher process per step: overhead per step ${f(k.over, 1)} ms vs ${f(kp.over, 1)} ms (${ratio(kp.over, k.over)} less); wall ${f(k.wall)} vs ${f(kp.wall)} ms (${ratio(kp.wall, k.wall)} faster).`,
  );
}
if (by('kfp').runs)
  out.push(
    `- Kiln / KFP local: ${ratio(k.perStep, by('kfp').perStep)} (KFP / Kiln: ${ratio(by('kfp').perStep, k.perStep)}).`,
  );
out.push(
  `- Overhead per step: Kiln ${f(k.over, 1)} ms vs hand-written ${f(h.over, 1)} ms (${ratio(k.over, h.over)}); Kiln's extra cost per step over the hand-written workflow is ${f(k.perStep - h.perStep, 1)} ms of wall time.`,
);
out.push('');

const loops = recs.filter((r) => r.kind === 'loop');
const sizes = [...new Set(loops.map((r) => r.n))].sort((a, b) => a - b);
if (loops.length) loopSection();
scaleSection();
out.push('Raw data: `tools/bench/results/engine.jsonl` (one line per measurement).');
console.log(out.join('\n'));

function loopSection(): void {
  out.push('## (b) Loops of no-op steps through Kiln, and (c) the 1,000-item loop through KFP local');
  out.push('');
  out.push(
    `Kiln: one loop node over N literal items, body one no-op step, loop and run parallelism ${start?.['parallelism'] ?? '?'},`,
  );
  out.push(
    'default batching (`loopBatchSize` 100: iterations run in `kilnLoopBatch` child workflows), cache off, a fresh worker',
  );
  out.push(
    'process per run (Kiln worker with the local executor; peak RSS = `VmHWM` of that process from `/proc/<pid>/status`,',
  );
  out.push(
    "read when the run finished; it includes the launcher, which runs in the worker, but not the step processes). History events = the parent's",
  );
  out.push("`fetchHistory()` plus every batch child listed in the status document's `batched.childWorkflowIds`.");
  out.push(
    'KFP: `dsl.ParallelFor` over N items of the Python no-op component; SubprocessRunner runs the iterations one after another.',
  );
  out.push('');
  out.push(
    '| variant | N | runs | wall s (median) | wall per step ms | history events (parent + children) | child workflows | largest child history | worker peak RSS MB |',
  );
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of sizes) {
    for (const v of ['kiln', 'kfp']) {
      const rs = loops.filter((r) => r.n === n && r.variant === v);
      if (!rs.length) continue;
      const wall = median(rs.map((r) => r.wallMs));
      const m = (key: string) => median(rs.map((r) => Number(r[key])));
      out.push(
        v === 'kiln'
          ? `| Kiln | ${f(n)} | ${rs.length} | ${f(wall / 1000, 1)} | ${f(wall / n, 1)} | ${f(m('totalEvents'))} (${f(m('parentEvents'))} + ${f(m('childEvents'))}) | ${f(m('childWorkflows'))} | ${f(m('maxChildEvents'))} | ${f(m('peakRssMB'))} |`
          : `| KFP local | ${f(n)} | ${rs.length} | ${f(wall / 1000, 1)} | ${f(wall / n, 1)} | n/a | n/a | n/a | n/a |`,
      );
    }
  }
  const kl = loops.filter((r) => r.variant === 'kiln' && r.n === 1000);
  const fl = loops.filter((r) => r.variant === 'kfp' && r.n === 1000);
  if (kl.length && fl.length) {
    out.push('');
    out.push(
      `1,000-item loop, wall: KFP local / Kiln = ${ratio(median(fl.map((r) => r.wallMs)), median(kl.map((r) => r.wallMs)))} (Kiln runs 32 iterations at once on 2 CPUs; KFP local runs them in sequence).`,
    );
  }
  out.push('');
  out.push(
    'All loop runs (s): ' +
      loops
        .map((r) => `${r.variant} ${f(r.n)} #${String(r['rep'])} ${f(r.wallMs / 1000, 1)} (load ${r.load})`)
        .join('; ') +
      '.',
  );
  out.push('');
}

/** (d) One loop run by 1, 2 and 4 worker processes on one task queue, the hand-written batch-child reference, a worker killed. */
function scaleSection(): void {
  const scale = recs.filter((r) => r.kind === 'scale');
  if (!scale.length) return;
  const first = scale[0];
  const n = Number(first?.n ?? 0);
  out.push(`## (d) Scale-out: a ${f(n)}-item loop by 1, 2 and 4 worker processes`);
  out.push('');
  out.push(
    `One loop of ${f(n)} no-op steps, the loop's \`parallelism\` ${String(first?.['parallelism'])} (the run sets no limit, so the loop's is honoured),`,
  );
  out.push(
    'batches of 100 iterations in child workflows, cache off; each worker a separate process (bench `worker.ts`: one Kiln worker, local',
  );
  out.push(
    'executor, 100 activity slots) polling the same task queue. The hand-written reference (`handLoop` in `hand-workflow.ts`) runs the',
  );
  out.push(
    'same loop as child workflows of 100 activities each, split the way Kiln splits a loop (`min(parallelism, 100)` in flight per child).',
  );
  out.push(
    '`kill1`: two workers, one killed with SIGKILL once half the steps have their executor-output record; the run must still succeed',
  );
  out.push("with one record per step (checked: `records`, and the status document's batched counts).");
  out.push('');
  out.push(
    '| variant | workers | wall s | wall per step ms | ÷ 1 worker (same engine) | ÷ hand-written, same workers | outcome | load at end |',
  );
  out.push('|---|---:|---:|---:|---:|---:|---|---|');
  const wallOf = (name: string) => median(scale.filter((r) => r.variant === name).map((r) => r.wallMs));
  for (const name of [...new Set(scale.map((r) => r.variant ?? ''))]) {
    const rs = scale.filter((r) => r.variant === name);
    const wall = median(rs.map((r) => r.wallMs));
    const engine = String(rs[0]?.['engine']);
    const workers = Number(rs[0]?.['workers']);
    const hand = wallOf(`hand-${workers}w`);
    const outcome = rs
      .map((r) =>
        engine === 'kiln'
          ? `${String(r['state'])}, ${f(Number(r['records']))} records${r['killedAtMs'] !== undefined ? `, killed at ${f(Number(r['killedAtMs']) / 1000, 1)} s` : ''}`
          : `${f(Number(r['steps']))} steps`,
      )
      .join('; ');
    out.push(
      `| ${name} | ${workers} | ${f(wall / 1000, 1)} | ${f(wall / n, 1)} | ${ratio(wall, wallOf(`${engine}-1w`))} | ${engine === 'kiln' && !name.includes('kill') ? ratio(wall, hand) : '—'} | ${outcome} | ${rs.map((r) => r.load).join('; ')} |`,
    );
  }
  out.push('');
}
