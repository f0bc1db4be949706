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

const median = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};
const f = (x: number, d = 0) =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '—';
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${f(a / b, 1)}×` : '—');

/** What each variant is. Runs before issue 14 had one Kiln variant, `kiln`: the two-process layout. */
const variantNames: Record<string, string> = {
  floor: 'floor: client-node create → watch to Succeeded → delete, one container',
  'temporal-floor':
    'Temporal floor: the same pods, one activity each (client-node create → watch → delete) of a minimal hand-written workflow',
  kiln: 'Kiln (two launcher processes: `kiln-fetch` init container + `kiln-publish` sidecar)',
  'kiln-two-process':
    'Kiln, two launcher processes (`kiln-fetch` init container + `kiln-publish` sidecar), ES-module bundle: the layout before',
  'kiln-one-process': 'Kiln, one launcher process (`kiln-launcher` sidecar: fetch, then publish), ES-module bundle',
  'kiln-one-process-cache-eager':
    'Kiln, one launcher process, the whole CommonJS bundle (2.5 MB) started through V8’s code cache: the default before the light launcher',
  'kiln-one-process-cache':
    'Kiln, one launcher process, the light CommonJS bundle (947 KB; the artifact code loaded only by a step with artifacts) through V8’s code cache: the default before the static launcher',
  'kiln-one-process-static':
    'Kiln, the static launcher (apps/static-launcher, Go) beside main for steps without artifacts, with the plan the worker resolved, eager activity dispatch on: the default now',
  'kiln-one-process-static-eager':
    'Kiln, the static launcher as above with eager activity dispatch (server `system.enableActivityEagerExecution=true`, worker default then)',
  'kiln-one-process-static-no-eager':
    'Kiln, the static launcher as above, eager activity dispatch off in the worker (`KILN_EAGER_ACTIVITIES=false`, the default from 2026-12-03 ~09:30 to ~12:30): each step’s activity goes through the server’s matching',
};

/** The headline numbers of one run's records, per variant. */
function summarize(rs: Rec[]) {
  const start = rs.find((r) => r.kind === 'start');
  const chain = rs.filter((r) => r.kind === 'chain');
  const n = Number(start?.['chain'] ?? 20);
  const variants = [...new Set(chain.map((r) => r.variant ?? ''))];
  const of = (v: string) => chain.filter((r) => r.variant === v);
  // A stage a variant does not have is recorded as null (NaN does not survive JSON): not a 0.
  const med = (v: string, key: string) => median(of(v).map((r) => (r[key] === null ? NaN : Number(r[key]))));
  const perStep = (v: string) => median(of(v).map((r) => r.wallMs / n));
  /** Per repetition, the variant's wall over the reference's (the floor's) in the same repetition. */
  const pairs = (v: string, reference = 'floor') =>
    of(v)
      .map((k) => {
        const fl = of(reference).find((r) => r.rep === k.rep);
        return fl ? { rep: k.rep, extra: (k.wallMs - fl.wallMs) / n, ratio: k.wallMs / fl.wallMs } : undefined;
      })
      .filter((p): p is { rep: number; extra: number; ratio: number } => p !== undefined);
  return { start, end: rs.find((r) => r.kind === 'end'), chain, n, variants, of, med, perStep, pairs };
}

const run = summarize(recs);
const { start, end, chain, n: N, of, med, perStep, pairs } = run;
const kilnVariants = run.variants.filter((v) => v !== 'floor');
const floorPerStep = perStep('floor');
/** Kiln against the Temporal floor too, when the run measured it. */
const temporalFloor = run.variants.includes('temporal-floor');
const overTemporalFloor = (v: string) => {
  if (!temporalFloor) return '';
  if (v === 'floor' || v === 'temporal-floor') return ' | ';
  const p = pairs(v, 'temporal-floor');
  return ` | ${ratio(perStep(v), perStep('temporal-floor'))} (${p.map((x) => `${f(x.ratio, 1)}×`).join(', ')})`;
};

const out: string[] = [];
out.push("# Pod-path benchmark: Kiln's Kubernetes executor vs the client-node floor");
out.push('');
out.push(
  `Date: ${start?.at ?? '?'} to ${end?.at ?? chain[chain.length - 1]?.at ?? '?'} (UTC). Produced by \`tools/bench/pods/run.sh\` (one run of`,
);
out.push(
  '`tools/bench/pods/bench.ts`; every variant against the same tools/testenv servers, interleaved per repetition,',
);
out.push('the order rotating each repetition).');
out.push('');
out.push(
  `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${f(totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version} (also the Node the pods' launcher runs on).`,
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
out.push(
  "host process (images ignored). Kiln's launcher containers run the in-pod launcher from its esbuild bundle of",
);
out.push('`libs/k8s-activities/src/in-pod/cli.ts`, or the static launcher built from `apps/static-launcher`, as');
out.push(
  '`deploy/launcher.Dockerfile` ships them. Each Kiln variant has its own worker process (apps/worker) and task queue;',
);
out.push(
  'they differ only in `KILN_K8S_LAUNCHER_LAYOUT`, `KILN_K8S_LAUNCHER_COMMAND` and `KILN_K8S_STATIC_LAUNCHER_COMMAND`.',
);
out.push(
  'Artifacts and records go to MinIO; the launcher containers get the credentials from a Secret. Temporal is the',
);
out.push('shared testenv dev server.');
out.push('');
out.push(`## ${N}-step chain of no-op steps (\`/bin/true\`)`);
out.push('');
out.push(
  `Medians of ${Math.min(...run.variants.map((v) => of(v).length))} timed runs each (one untimed 2-step warm-up per variant first). Times in ms.`,
);
out.push('');
out.push(
  `| variant | runs | wall (median) | wall per step | ÷ floor (medians) | ÷ floor, per interleaved repetition | overhead per step over the floor (median of repetitions) |${temporalFloor ? ' ÷ Temporal floor (medians; per repetition) |' : ''}`,
);
out.push(`|---|---:|---:|---:|---:|---|---:|${temporalFloor ? '---|' : ''}`);
for (const v of ['floor', ...kilnVariants]) {
  if (!of(v).length) continue;
  const p = pairs(v);
  out.push(
    `| ${variantNames[v] ?? v} | ${of(v).length} | ${f(med(v, 'wallMs'))} | ${f(perStep(v))} | ${v === 'floor' ? '1.0×' : ratio(perStep(v), floorPerStep)} | ${v === 'floor' ? '' : p.map((x) => `${f(x.ratio, 1)}×`).join(', ')} | ${v === 'floor' ? '' : f(median(p.map((x) => x.extra)))}${overTemporalFloor(v)} |`,
  );
}
out.push('');
out.push(
  'All wall times per run (ms): ' +
    ['floor', ...kilnVariants]
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
out.push(
  "Where a step's time goes (medians over the runs of each run's per-pod median, from a passive namespace watch in the",
);
out.push("benchmark process; Kubernetes' own timestamps have one-second resolution):");
out.push('');
out.push(`| stage | ${['floor', ...kilnVariants].map((v) => v).join(' | ')} |`);
out.push(`|---|${['floor', ...kilnVariants].map(() => '---:').join('|')}|`);
const stageRow = (label: string, key: string) =>
  out.push(`| ${label} | ${['floor', ...kilnVariants].map((v) => f(med(v, key))).join(' | ')} |`);
stageRow(
  'run start → first pod created (workflow start, run context, staging the launch request in MinIO)',
  'startToFirstPodMs',
);
stageRow(
  'pod created → init container `kiln-fetch` done (two-process layout only: sidecar start, fetch process start, read the request)',
  'createdToFetchDoneMs',
);
stageRow(
  'pod created → `main` done (scheduling, launcher start and fetch, then `/bin/sh` wrapper + `/bin/true`; one-process: main waits for the launcher’s ready file)',
  'createdToMainDoneMs',
);
stageRow(
  '`main` done → pod Succeeded (the launcher publishes the executor-output record, then the pod stops it)',
  'mainDoneToSucceededMs',
);
stageRow('pod created → Succeeded, whole pod', 'podMs');
stageRow(
  'pod Succeeded → next pod created (Kiln: the activity reads the record while it saves the logs, sends the delete without waiting, completes; the workflow schedules the next step, which stages its request and creates its pod. Floor: the delete call)',
  'betweenPodsMs',
);
stageRow('last pod Succeeded → run result', 'lastPodToEndMs');
out.push('');
out.push(
  `Namespace watch errors during the run: ${String(end?.['watchErrors'] ?? '?')}. Raw data: \`tools/bench/results/pods.jsonl\` (one line per measurement).`,
);

if (beforeFiles.length > 0) {
  const columns: { label: string; run: ReturnType<typeof summarize>; variant: string }[] = [];
  for (const path of beforeFiles) {
    const before = summarize(readRecs(path));
    for (const v of before.variants.filter((x) => x !== 'floor' && x !== 'temporal-floor'))
      columns.push({
        label: `\`${basename(path)}\`${before.variants.length > 2 ? ` ${v}` : ''}`,
        run: before,
        variant: v,
      });
  }
  for (const v of kilnVariants.filter((x) => x !== 'temporal-floor'))
    columns.push({ label: `this run: ${v}`, run, variant: v });
  const row = (name: string, cell: (c: (typeof columns)[number]) => string) =>
    out.push(`| ${name} | ${columns.map(cell).join(' | ')} |`);
  const launcherOf = (c: (typeof columns)[number]) =>
    c.run.start?.['launcher'] !== 'bundle'
      ? 'tsx on source, two processes'
      : c.variant === 'kiln'
        ? 'ES-module bundle, two processes'
        : (variantNames[c.variant] ?? c.variant).replace(/^Kiln, /, '');
  out.push('');
  out.push('## Before and after');
  out.push('');
  out.push(
    'Earlier runs of this benchmark (their raw lines are kept beside this file) next to this one. Medians, ms; every run',
  );
  out.push(
    'was on the same shared machine, so compare the ratios and overheads over the floor, which is measured in the same',
  );
  out.push('run, more than absolute walls.');
  out.push('');
  out.push(`| | ${columns.map((c) => c.label).join(' | ')} |`);
  out.push(`|---|${columns.map(() => '---:').join('|')}|`);
  row('date (UTC), first measurement', (c) => c.run.start?.at ?? '?');
  row('in-pod launcher', launcherOf);
  row(
    'runs × chain; load (1 min) at start',
    (c) => `${c.run.of(c.variant).length} × ${c.run.n} steps; ${(c.run.start?.load ?? '?').split(' ')[0] ?? '?'}`,
  );
  row('Kiln wall per step', (c) => f(c.run.perStep(c.variant)));
  row('floor wall per step', (c) => f(c.run.perStep('floor')));
  row('Kiln ÷ floor (medians)', (c) => ratio(c.run.perStep(c.variant), c.run.perStep('floor')));
  row('Kiln overhead per step over the floor (interleaved pairs)', (c) =>
    f(median(c.run.pairs(c.variant).map((p) => p.extra))),
  );
  row('pod created → `main` done', (c) => {
    const direct = c.run.med(c.variant, 'createdToMainDoneMs');
    // Older runs recorded the two halves only.
    return f(
      Number.isFinite(direct)
        ? direct
        : c.run.med(c.variant, 'createdToFetchDoneMs') + c.run.med(c.variant, 'fetchDoneToMainDoneMs'),
    );
  });
  row('`main` done → pod Succeeded', (c) => f(c.run.med(c.variant, 'mainDoneToSucceededMs')));
  row('pod created → Succeeded', (c) => f(c.run.med(c.variant, 'podMs')));
  row('pod Succeeded → next pod created', (c) => f(c.run.med(c.variant, 'betweenPodsMs')));
}
console.log(out.join('\n'));
