/**
 * Bench results → Markdown (tools/bench/results/ui.md): one table of measure,
 * Kiln, the Temporal UI where comparable, the goal and whether it was met; then
 * the details behind each row, the machine, and how to run it again.
 */
import type { BenchResults, ListResult } from './bench';
import type { LoopPhase, LoopResult } from './loop-run';
import { max, median } from './stats';
import type { TemporalPageTiming } from './temporal-ui';

type Row = [measure: string, kiln: string, temporal: string, goal: string, met: string];

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value).toLocaleString('en')} ms` : '—');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const n = (value: number) => value.toLocaleString('en');
const yes = (ok: boolean) => (ok ? 'yes' : '**no**');
const medianOf = <T>(samples: readonly T[], pick: (sample: T) => number) => median(samples.map(pick));

function temporalCell(samples: readonly TemporalPageTiming[], what: string): string {
  const shown = samples.flatMap((sample) => (sample.shownMs === undefined ? [] : [sample.shownMs]));
  const failed = samples.find((sample) => sample.error)?.error;
  if (!shown.length) return samples.length ? `not shown (${failed ?? 'no answer'})` : 'no Temporal UI';
  const misses = samples.length - shown.length;
  return `${ms(median(shown))} ${what}${misses ? ` (${misses} of ${samples.length} not shown: ${failed})` : ''}`;
}

function loopRows(loop: LoopResult): Row[] {
  const rows: Row[] = [];
  const phase = (label: string, p: LoopPhase) => {
    const shown = medianOf(p.kiln, (s) => s.graphShownMs);
    const interactive = medianOf(p.kiln, (s) => s.interactiveMs);
    rows.push(
      [
        `Run page, ${label}: navigation → graph with the loop's counts`,
        ms(shown),
        temporalCell(p.temporalHistory, 'to the event history rows'),
        '—',
        '—',
      ],
      [
        `Run page, ${label}: navigation → interactive (click on the loop answered by its iterations panel)`,
        ms(interactive),
        temporalCell(p.temporalQuery, 'to the `status` query JSON (Queries tab)'),
        '< 2 s',
        yes(interactive < 2000),
      ],
    );
  };
  phase(`${n(loop.iterations)}-iteration loop while it runs`, loop.running);
  const w = loop.watch;
  const longest = max(w.longTasksMs);
  const worstInput = max(w.inputLatencyMs);
  rows.push([
    `Run page while it runs, ${w.seconds} s of clicks (${w.clicks}): click → panel median / max; input → next frame median / max; long tasks`,
    `${ms(median(w.clickToPanelMs))} / ${ms(max(w.clickToPanelMs))}; ${ms(median(w.inputLatencyMs))} / ${ms(worstInput)}; ${w.longTasksMs.length}, longest ${ms(longest)}`,
    'not comparable (the Temporal UI has no live graph to click)',
    'stays responsive: every input → next frame < 200 ms',
    yes(w.inputLatencyMs.length > 0 && worstInput < 200),
  ]);
  if (loop.ended) phase('after the run ended', loop.ended);
  return rows;
}

function listRows(list: ListResult): Row[] {
  const first = medianOf(list.kiln, (s) => s.firstPageMs);
  const oneRequestEach = list.kiln.every((s) => s.requestsFirst === 1 && s.requestsNext === 1);
  const received = max(list.kiln.map((s) => s.runsReceived));
  return [
    [
      `Runs list (${n(list.created.created)} runs of one pipeline): navigation → first page`,
      ms(first),
      temporalCell(list.temporal, 'to the workflow list rows (same filter)'),
      '—',
      '—',
    ],
    ['Runs list: "Next page" → second page', ms(medianOf(list.kiln, (s) => s.nextPageMs)), 'not measured', '—', '—'],
    [
      'Runs list: `GET /runs` requests per page shown; most runs received by one page view',
      `${oneRequestEach ? '1 and 1' : 'more than 1'}; ${n(received)}`,
      '—',
      'pages without loading them all',
      yes(oneRequestEach && received <= 100),
    ],
  ];
}

function summaryRows(results: BenchResults): Row[] {
  const rows: Row[] = [];
  if (results.loop) rows.push(...loopRows(results.loop));
  if (results.graph) {
    const { tasks, samples } = results.graph;
    const layout = medianOf(samples, (s) => s.layoutMs);
    const drawn = medianOf(samples, (s) => s.drawnMs);
    rows.push(
      [
        `${n(tasks)}-task pipeline graph: ELK layout (in its Web Worker)`,
        ms(layout),
        'not comparable (no pipeline graph)',
        '< 2 s',
        yes(layout < 2000),
      ],
      [
        `${n(tasks)}-task pipeline graph: navigation → laid out and drawn`,
        ms(drawn),
        'not comparable',
        '< 2 s (stricter reading)',
        yes(drawn < 2000),
      ],
    );
  }
  if (results.list) rows.push(...listRows(results.list));
  const { js } = results;
  rows.push(
    [
      "Shipped JS, gzip: initial (index.html's scripts)",
      kib(js.initialGzipBytes),
      '—',
      `≤ ${kib(js.build.budget.initialGzipBytes)}`,
      yes(js.initialGzipBytes <= js.build.budget.initialGzipBytes),
    ],
    [
      `Shipped JS, gzip: all ${js.files.length} .js files in dist`,
      kib(js.totalGzipBytes),
      '—',
      `≤ ${kib(js.build.budget.totalGzipBytes)}`,
      yes(js.totalGzipBytes <= js.build.budget.totalGzipBytes),
    ],
  );
  return rows;
}

export function summaryTable(results: BenchResults): string {
  const lines = ['| measure | Kiln | Temporal UI | goal | met? |', '|---|---:|---|---|---|'];
  for (const row of summaryRows(results)) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

function loopDetails(loop: LoopResult): string {
  const phase = (label: string, p: LoopPhase) =>
    `- ${label}: iterations done ${n(p.doneBefore)} → ${n(p.doneAfter)} during the repetitions; history length ${n(p.historyLength)} events (the parent workflow; batches are child workflows). ` +
    `Kiln samples (graph / interactive / click → panel, ms): ${p.kiln.map((s) => `${s.graphShownMs}/${s.interactiveMs}/${s.clickToPanelMs}`).join(', ')}; ` +
    `counts shown first: "${p.kiln[0]?.countsShown ?? ''}"; longest main-thread task per page load: ${p.kiln.map((s) => Math.round(max(s.longTasksMs))).join(', ')} ms. ` +
    `Temporal UI event history (ms): ${p.temporalHistory.map((s) => s.shownMs ?? 'x').join(', ')}; its longest task per load: ${p.temporalHistory.map((s) => Math.round(max(s.longTasksMs))).join(', ')} ms; ` +
    `status query (ms): ${p.temporalQuery.map((s) => s.shownMs ?? 'x').join(', ')}.`;
  const w = loop.watch;
  return [
    `Run \`${loop.runId}\`: a loop of ${n(loop.iterations)} no-op steps (\`/bin/true\`, local executor, step cache off so every iteration runs, parallelism ${loop.parallelism}) between two single steps; ` +
      `${loop.runSeconds === undefined ? loop.finalState : `${loop.finalState} after ${loop.runSeconds.toFixed(1)} s`}.`,
    phase('While it ran', loop.running),
    `- The watched page (${w.seconds} s): counts "${w.countsBefore}" → "${w.countsAfter}" (live, through the event stream); click → panel (ms) ${w.clickToPanelMs.join(', ')}; input → next frame (ms) ${w.inputLatencyMs.map(Math.round).join(', ')}; long tasks (ms) ${w.longTasksMs.map(Math.round).join(', ') || 'none'}.`,
    ...(loop.ended ? [phase('After it ended', loop.ended)] : []),
  ].join('\n');
}

function listDetails(list: ListResult): string {
  const c = list.created;
  return [
    `${n(c.created)} of ${n(c.requested)} runs of \`${list.pipeline}\` (a condition that never holds: no step runs) started through \`POST /runs\`, ${c.concurrency} at a time, in ${c.seconds.toFixed(1)} s (${(c.created / c.seconds).toFixed(1)} runs/s).`,
    `- Kiln (first / next page ms, rows, requests, runs received): ${list.kiln.map((s) => `${s.firstPageMs}/${s.nextPageMs}, ${s.rowsFirst}+${s.rowsNext}, ${s.requestsFirst}+${s.requestsNext}, ${s.runsReceived}`).join('; ')}.`,
    `- Temporal UI workflow list (ms, rows): ${list.temporal.map((s) => `${s.shownMs ?? 'x'}, ${s.rows ?? 0}`).join('; ')}.`,
  ].join('\n');
}

/** Whether other work shared the machine, read from the 1-minute load average before the run. */
function loadNote(loadBefore: string): string {
  const oneMinute = Number(loadBefore.split(/\s+/)[0]);
  return oneMinute < 1
    ? 'The machine was otherwise idle when the run started.'
    : 'The machine was shared with other builds and tests, so absolute times are inflated.';
}

/** The whole results file. */
export function renderReport(results: BenchResults): string {
  const m = results.machine;
  const o = results.options;
  const sections = [
    '# UI benchmark: the web UI in real Chromium, side by side with the Temporal UI',
    `Date: ${results.startedAt} to ${results.finishedAt} (UTC). Produced by \`tools/bench/ui\` (\`npx tsx tools/bench/ui/src/main.ts\`), medians of ${o.repetitions} repetitions, every sample in \`ui.json\`.`,
    `Machine: ${m.cpus} CPUs (${m.model}), ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.chromium}, ${m.platform}. Load average (1, 5, 15 min) before ${results.load.before}, after ${results.load.after} (the after figure includes this benchmark's own Chromium and servers). ${loadNote(results.load.before)}`,
    `Servers: \`bin/kiln dev --api-port 0 --json\` (API, worker with the local executor on its own task queue, the UI under /ui/) against ${results.temporal === 'private' ? 'a private in-memory Temporal dev server with its web UI (so the runs stay out of the shared test database)' : "KILN_TESTENV's Temporal dev server"}; the Temporal UI is that server's.`,
    summaryTable(results),
    ...(results.errors.length ? [`Sections that failed: ${results.errors.join('; ')}`] : []),
    '## What is compared',
    "- **Run page vs Temporal UI.** Kiln's run page draws the pipeline graph with the loop as one node with per-state counts, live. The Temporal UI has no graph: what it shows of the same run is the event history of the parent workflow (its rows) and, on the Queries tab, the answer to the `status` query, the run's status document as JSON (the same document the API serves). Both are timed from navigation to shown; \"interactive\" on Kiln's side also includes a click answered by the iterations panel, which has no Temporal counterpart.",
    '- **Runs list vs workflow list.** Both page through Temporal visibility with the same filter (`KilnPipelineName`).',
    '- **Graph.** No Temporal counterpart.',
    '- **Long tasks** are main-thread tasks over 50 ms (PerformanceObserver `longtask`); **input → next frame** is from a pointerdown to the frame after its handlers ran.',
    '## Details',
    ...(results.loop ? [loopDetails(results.loop)] : []),
    ...(results.graph
      ? [
          `Graph: ${results.graph.samples.map((s) => `layout ${Math.round(s.layoutMs)} ms, drawn ${s.drawnMs} ms, ${s.nodesLaidOut} laid out, ${s.nodesInDom} in the DOM, longest task ${Math.round(max(s.longTasksMs))} ms`).join('; ')}.`,
        ]
      : []),
    ...(results.list ? [listDetails(results.list)] : []),
    `JS: budget from \`apps/ui/build/bundle-budget.ts\` (the build fails over it; read back from \`dist/bundle-sizes.json\`); the build's own count: initial ${kib(results.js.build.initialGzipBytes)}, all ${kib(results.js.build.totalGzipBytes)}. Files: ${results.js.files.map((f) => `${f.path} ${kib(f.gzipBytes)}`).join(', ')}.`,
    '## Re-run',
    '```sh\nexport KILN_TESTENV="$(cat /tmp/testenv.json)"   # or let tools/testenv start the servers\nnpx nx run ui:build\n' +
      `npx tsx tools/bench/ui/src/main.ts --repetitions ${o.repetitions} --iterations ${o.loop.iterations} --list-runs ${o.list.runs} --list-seconds ${o.list.budgetSeconds}\n` +
      'npx nx run bench-ui:test                         # the short version: sanity and the JS budget, no timing asserted\n```',
  ];
  return `${sections.join('\n\n')}\n`;
}
