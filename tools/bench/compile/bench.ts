/**
 * Compile-time and IR-size benchmark for Kiln: the same shapes as
 * tools/bench/kfp/compile_bench.py, so the two can be compared side by side.
 *
 *   npx tsx tools/bench/compile/bench.ts --sizes 100,1000,10000 --shapes chain,fanout --runs 5
 *
 * Shapes (N = all tasks, source and sink included):
 *   chain   step 1 takes the pipeline parameter `seed`; step i takes step i-1's string output.
 *   fanout  one source; N-2 consumers each take source's output; one sink that takes source's
 *           output and runs `.after()` every consumer (a dependency-only fan-in, as on the KFP side).
 * Every task uses one tiny container component: string input `text`, string output `out`,
 * `sh -c` command with placeholders (the same command as the KFP script's container component).
 *
 * One run (wall clock, this process; --warmup runs are untimed):
 *   define     `pipeline(...)`: runs the body, records the graph (KFP's "define" also builds its spec);
 *   compile    `compile()`: IR + full validation (schema, references, cycles, types);
 *   serialize  `canonicalize()`: canonical JSON text, the bytes the digest is taken over.
 * median_ms = median of define + compile + serialize (wall clock); median_cpu_ms = the same runs'
 * CPU time (user + system, process.cpuUsage), which a busy machine inflates less.
 * ir_bytes = UTF-8 bytes of the canonical JSON.
 *
 * Output: one JSON line per (shape, N) on stdout, same fields as the KFP script where they apply.
 */
import { canonicalize } from '@kiln/ir';
import { compile, component, param, pipeline, type Task } from '@kiln/dsl';

const IMAGE = 'python:3.11-slim';

function makeComponent() {
  return component({
    name: 'step',
    image: IMAGE,
    inputs: { text: param.string() },
    outputs: { out: param.string() },
    command: ({ inputs, outputs }) => [
      'sh',
      '-c',
      'mkdir -p "$(dirname "$1")" && printf "%s+" "$0" > "$1"',
      inputs.text,
      outputs.out.path,
    ],
  });
}

type Step = ReturnType<typeof makeComponent>;

/** Builds (defines) the pipeline: runs the body once, recording N tasks. */
export function definePipeline(shape: string, n: number, step: Step = makeComponent()) {
  if (n < 3) throw new Error('N must be >= 3');
  const params = { seed: param.string({ default: 'x' }) };
  if (shape === 'chain') {
    return pipeline({ name: `bench-chain-${n}`, params }, (p) => {
      let prev = step({ text: p.seed }).displayName('step-1');
      for (let i = 2; i <= n; i++) prev = step({ text: prev.outputs.out }).displayName(`step-${i}`);
    });
  }
  if (shape === 'fanout') {
    return pipeline({ name: `bench-fanout-${n}`, params }, (p) => {
      const source = step({ text: p.seed }).displayName('source');
      const consumers: Task<ReturnType<Step>['outputs']>[] = [];
      for (let i = 1; i <= n - 2; i++) consumers.push(step({ text: source.outputs.out }).displayName(`consumer-${i}`));
      step({ text: source.outputs.out })
        .displayName('sink')
        .after(...consumers);
    });
  }
  throw new Error(`unknown shape '${shape}'`);
}

interface RunTimes {
  define: number;
  compile: number;
  serialize: number;
  bytes: number;
  /** CPU time (user + system) of this process for the whole run, ms. */
  cpu: number;
}

function oneRun(shape: string, n: number): RunTimes {
  const step = makeComponent();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const p = definePipeline(shape, n, step);
  const t1 = performance.now();
  const spec = compile(p);
  const t2 = performance.now();
  const json = canonicalize(spec);
  const t3 = performance.now();
  const c1 = process.cpuUsage(c0);
  return {
    define: t1 - t0,
    compile: t2 - t1,
    serialize: t3 - t2,
    bytes: Buffer.byteLength(json, 'utf8'),
    cpu: (c1.user + c1.system) / 1000,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const r1 = (x: number): number => Math.round(x * 10) / 10;

function bench(shape: string, n: number, runs: number, warmup: number, maxSeconds: number | undefined) {
  for (let i = 0; i < warmup; i++) oneRun(shape, n);
  const results: RunTimes[] = [];
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    results.push(oneRun(shape, n));
    if (maxSeconds !== undefined && performance.now() - started > maxSeconds * 1000) break;
  }
  const totals = results.map((r) => r.define + r.compile + r.serialize);
  const sizes = new Set(results.map((r) => r.bytes));
  if (sizes.size !== 1) console.error(`warning: IR size varied between runs: ${[...sizes].join(', ')}`);
  return {
    tool: 'kiln',
    version: `node ${process.version}`,
    shape,
    tasks: n,
    component: 'container',
    runs: results.length,
    median_ms: r1(median(totals)),
    min_ms: r1(Math.min(...totals)),
    median_define_ms: r1(median(results.map((r) => r.define))),
    median_compile_ms: r1(median(results.map((r) => r.compile))),
    median_serialize_ms: r1(median(results.map((r) => r.serialize))),
    median_cpu_ms: r1(median(results.map((r) => r.cpu))),
    ir_bytes: Math.max(...sizes),
    capped: results.length < runs,
  };
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

function main(): void {
  const sizes = arg('sizes', '100,1000,10000').split(',').filter(Boolean).map(Number);
  const shapes = arg('shapes', 'chain,fanout').split(',').filter(Boolean);
  const runs = Number(arg('runs', '5'));
  const warmup = Number(arg('warmup', '1'));
  const maxSecondsText = arg('max-seconds', '');
  const maxSeconds = maxSecondsText === '' ? undefined : Number(maxSecondsText);
  for (const shape of shapes)
    for (const n of sizes) console.log(JSON.stringify(bench(shape, n, runs, warmup, maxSeconds)));
}

if (process.argv[1] !== undefined && /bench\.ts$/.test(process.argv[1])) main();
