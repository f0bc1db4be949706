/**
 * Turns the JSON lines of bench.ts into tools/bench/results/pods.md.
 *
 *   node --import tsx tools/bench/pods/report.ts tools/bench/results/pods.jsonl "<load before>" [<earlier run>.jsonl ...] > tools/bench/results/pods.md
 *
 * Earlier runs (kept as `tools/bench/results/pods-before-*.jsonl`) are compared with this one in a "before" section.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { cpus, totalmem } from 'node:os';

const [file = 'tools/bench/results/pods.jsonl', loadBefore = '', ...beforeFiles] = process.argv.slice(2);
type Rec = Record<string, unknown> & {
  kind: string;
  variant?: string;
  n: number;
  wallMs: number;
  rep: number;
  at: string;
  load: string;
};
const readRecs = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Rec);
const recs = readRecs(file);
/** How the launcher containers started the in-pod launcher (runs before the bundle did not say: tsx). */
const launcherOf = (start: Rec | undefined) => (start?.['launcher'] === 'bundle' ? 'bundle' : 'tsx');
const launcherText = {
  bundle: 'from its esbuild bundle (one `.mjs` file built from `libs/k8s-activities/src/in-pod/cli.ts`)',
  tsx: 'through `node --import tsx` on the TypeScript source',
};

const median = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};
const f = (x: number, d = 0) =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '—';
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${f(a / b, 1)}×` : '—');

const start = recs.find((r) => r.kind === 'start');
const end = recs.find((r) => r.kind === 'end');
const chain = recs.filter((r) => r.kind === 'chain');
const N = Number(start?.['chain'] ?? 20);
const of = (v: string) => chain.filter((r) => r.variant === v);
const med = (v: string, key: string) => median(of(v).map((r) => Number(r[key])));
const perStep = (v: string) => median(of(v).map((r) => r.wallMs / N));

const kilnPerStep = perStep('kiln');
const floorPerStep = perStep('floor');
// Overhead per step from interleaved pairs (same repetition), so slow moments of the shared box hit both sides.
const pairs = [...new Set(chain.map((r) => r.rep))]
  .map((rep) => {
    const k = of('kiln').find((r) => r.rep === rep);
    const fl = of('floor').find((r) => r.rep === rep);
    return k && fl ? { rep, extra: (k.wallMs - fl.wallMs) / N, ratio: k.wallMs / fl.wallMs } : undefined;
  })
  .filter((p): p is { rep: number; extra: number; ratio: number } => p !== undefined);

const out: string[] = [];
out.push("# Pod-path benchmark: Kiln's Kubernetes executor vs the client-node floor");
out.push('');
out.push(
  `Date: ${start?.at ?? '?'} to ${end?.at ?? chain[chain.length - 1]?.at ?? '?'} (UTC). Produced by \`tools/bench/pods/run.sh\` (one run of`,
);
out.push(
  '`tools/bench/pods/bench.ts`; both variants against the same tools/testenv servers, interleaved per repetition,',
);
out.push('order alternating).');
out.push('');
out.push(
  `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${f(totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version}.`,
);
out.push(
  `Load average (1, 5, 15 min): ${loadBefore ? `before the run ${loadBefore}, ` : ''}at the first measurement ${start?.load ?? '?'}, at the last ${end?.load ?? '?'}`,
);
out.push(
  "(each line of `pods.jsonl` carries the load at that moment). The box is shared with other engineers' builds and",
);
out.push('tests, so absolute times are inflated; the interleaved ratios are the meaningful part.');
out.push('');
out.push(
  "The cluster: tools/testenv's real kube-apiserver (etcd) with Kiln's test node agent, which runs each container as a",
);
out.push("host process (images ignored). Kiln's launcher containers run the in-pod launcher");
out.push(`${launcherText[launcherOf(start)]}, as \`deploy/launcher.Dockerfile\` starts it.`);
out.push(
  'Artifacts and records go to MinIO; the launcher containers get the credentials from a Secret. Temporal is the',
);
out.push('shared testenv dev server.');
out.push('');
out.push(`## ${N}-step chain of no-op steps (\`/bin/true\`)`);
out.push('');
out.push(
  `Medians of ${Math.min(of('kiln').length, of('floor').length)} timed runs each (one untimed 2-step warm-up per variant first). Times in ms.`,
);
out.push('');
out.push(
  '| variant | runs | wall (median) | wall per step | pod created → Succeeded (median per pod) | pod Succeeded → next pod created (median) |',
);
out.push('|---|---:|---:|---:|---:|---:|');
const names: Record<string, string> = {
  kiln: 'Kiln: `startPipelineRun`, executor kubernetes, worker = apps/worker',
  floor: 'floor: client-node create → watch to Succeeded → delete, one container',
};
for (const v of ['kiln', 'floor']) {
  if (!of(v).length) continue;
  out.push(
    `| ${names[v]} | ${of(v).length} | ${f(med(v, 'wallMs'))} | ${f(perStep(v))} | ${f(med(v, 'podMs'))} | ${f(med(v, 'betweenPodsMs'))} |`,
  );
}
out.push('');
out.push(
  'All wall times per run (ms): ' +
    ['kiln', 'floor']
      .map(
        (v) =>
          `${v} ${of(v)
            .map((r) => `${f(r.wallMs)} (load ${r.load.split(' ')[0]})`)
            .join(', ')}`,
      )
      .join('; ') +
    '.',
);
out.push('');
out.push('Ratios and overhead:');
out.push(
  `- Kiln wall ÷ floor wall: ${ratio(kilnPerStep, floorPerStep)} (medians); per interleaved pair: ${pairs.map((p) => `${f(p.ratio, 1)}×`).join(', ')}.`,
);
out.push(
  `- Kiln's overhead per step over the floor, (Kiln wall − floor wall) / ${N}: median ${f(median(pairs.map((p) => p.extra)))} ms over the pairs (${pairs.map((p) => f(p.extra)).join(', ')}).`,
);
out.push('');
out.push(
  "Where a Kiln step's time goes (medians over the runs of each run's per-pod median, from a passive namespace watch in the",
);
out.push("benchmark process; Kubernetes' own timestamps have one-second resolution):");
out.push('');
out.push('| stage | Kiln ms | floor ms |');
out.push('|---|---:|---:|');
out.push(
  `| run start → first pod created (workflow start, run context, staging the launch request in MinIO) | ${f(med('kiln', 'startToFirstPodMs'))} | ${f(med('floor', 'startToFirstPodMs'))} |`,
);
out.push(
  `| pod created → init container \`kiln-fetch\` done (scheduling, publish sidecar start, fetch: launcher process start, read the request) | ${f(med('kiln', 'createdToFetchDoneMs'))} | n/a |`,
);
out.push(
  `| fetch done → \`main\` done (\`/bin/sh\` wrapper + \`/bin/true\`) | ${f(med('kiln', 'fetchDoneToMainDoneMs'))} | n/a |`,
);
out.push(
  `| \`main\` done → pod Succeeded (the sidecar publishes outputs and the executor-output record, then exits) | ${f(med('kiln', 'mainDoneToSucceededMs'))} | ${f(med('floor', 'mainDoneToSucceededMs'))} |`,
);
out.push(`| pod created → Succeeded, whole pod | ${f(med('kiln', 'podMs'))} | ${f(med('floor', 'podMs'))} |`);
out.push(
  `| pod Succeeded → next pod created (Kiln: the activity reads the record, saves logs, deletes the pod, completes; the workflow schedules the next step, which stages its request and creates its pod. Floor: the delete call) | ${f(med('kiln', 'betweenPodsMs'))} | ${f(med('floor', 'betweenPodsMs'))} |`,
);
out.push(
  `| last pod Succeeded → run result | ${f(med('kiln', 'lastPodToEndMs'))} | ${f(med('floor', 'lastPodToEndMs'))} |`,
);
out.push('');
const podShare = med('kiln', 'podMs') / kilnPerStep;
const beforeMainShare = med('kiln', 'createdToFetchDoneMs') / med('kiln', 'podMs');
out.push(
  `Reading: the pod itself (created → Succeeded) is ${f(podShare * 100)}% of a Kiln step's wall time, and ${f(beforeMainShare * 100)}% of the pod`,
);
out.push(
  'is spent before `main` can start: the pod spec starts two launcher processes first (the publish sidecar, which the',
);
out.push(
  "fetch phase waits for, and the fetch init container), each a Node process loading the launcher. The floor's pod has",
);
out.push(
  'one container and nothing before it. Between pods, Kiln adds Temporal round trips and store reads and writes that the',
);
out.push('floor does not make.');
out.push('');
out.push(
  `Namespace watch errors during the run: ${String(end?.['watchErrors'] ?? '?')}. Raw data: \`tools/bench/results/pods.jsonl\` (one line per measurement).`,
);

if (beforeFiles.length > 0) {
  /** The headline medians of one run's records. */
  const summary = (rs: Rec[]) => {
    const st = rs.find((r) => r.kind === 'start');
    const ch = rs.filter((r) => r.kind === 'chain');
    const n = Number(st?.['chain'] ?? 20);
    const ofV = (v: string) => ch.filter((r) => r.variant === v);
    const m = (v: string, key: string) => median(ofV(v).map((r) => Number(r[key])));
    const extra = [...new Set(ch.map((r) => r.rep))]
      .map((rep) => {
        const k = ofV('kiln').find((r) => r.rep === rep);
        const fl = ofV('floor').find((r) => r.rep === rep);
        return k && fl ? (k.wallMs - fl.wallMs) / n : NaN;
      })
      .filter(Number.isFinite);
    return {
      when: st?.at ?? '?',
      launcher: launcherOf(st),
      size: `${Math.min(ofV('kiln').length, ofV('floor').length)} × ${n} steps`,
      load: (st?.load ?? '?').split(' ')[0] ?? '?',
      kilnPerStep: median(ofV('kiln').map((r) => r.wallMs / n)),
      floorPerStep: median(ofV('floor').map((r) => r.wallMs / n)),
      overhead: median(extra),
      fetchDone: m('kiln', 'createdToFetchDoneMs'),
      mainDone: m('kiln', 'fetchDoneToMainDoneMs'),
      succeeded: m('kiln', 'mainDoneToSucceededMs'),
      pod: m('kiln', 'podMs'),
      between: m('kiln', 'betweenPodsMs'),
    };
  };
  const columns = [
    ...beforeFiles.map((path) => ({ label: `before: \`${basename(path)}\``, ...summary(readRecs(path)) })),
    { label: 'this run', ...summary(recs) },
  ];
  const row = (name: string, cell: (c: (typeof columns)[number]) => string) =>
    `| ${name} | ${columns.map(cell).join(' | ')} |`;
  out.push('');
  out.push('## Before and after');
  out.push('');
  out.push(
    'Earlier runs of this benchmark (their raw lines are kept beside this file) next to this one. Medians, ms; every run',
  );
  out.push(
    'was on the same shared machine, so compare the Kiln stages and the overhead over the floor, which is measured in the',
  );
  out.push('same run, more than absolute walls.');
  out.push('');
  out.push(`| | ${columns.map((c) => c.label).join(' | ')} |`);
  out.push(`|---|${columns.map(() => '---:').join('|')}|`);
  out.push(row('date (UTC), first measurement', (c) => c.when));
  out.push(row('in-pod launcher', (c) => (c.launcher === 'bundle' ? 'esbuild bundle' : 'tsx on source')));
  out.push(row('runs × chain; load (1 min) at start', (c) => `${c.size}; ${c.load}`));
  out.push(row('Kiln wall per step', (c) => f(c.kilnPerStep)));
  out.push(row('floor wall per step', (c) => f(c.floorPerStep)));
  out.push(row('Kiln overhead per step over the floor (interleaved pairs)', (c) => f(c.overhead)));
  out.push(row('pod created → `kiln-fetch` done', (c) => f(c.fetchDone)));
  out.push(row('fetch done → `main` done', (c) => f(c.mainDone)));
  out.push(row('`main` done → pod Succeeded', (c) => f(c.succeeded)));
  out.push(row('pod created → Succeeded', (c) => f(c.pod)));
  out.push(row('pod Succeeded → next pod created', (c) => f(c.between)));
}
console.log(out.join('\n'));
