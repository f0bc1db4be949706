/**
 * The soak's pipeline: Python and container steps, a loop with fan-in, a condition with an
 * `otherwise` branch and artifacts handed from pod to pod, plus a last step that fails on request,
 * so some runs are meant to end FAILED. Every output is a pure function of the run's parameters,
 * which is what lets {@link expectedRun} say exactly what each run must leave behind.
 *
 *   make-rows (py) ──► tag-shard (sh) × shards ──► join-parts (py) ──► shout (sh)  (rows >= threshold)
 *        │                                                      │   └► whisper (py) (otherwise)
 *        │                                                      └──► final-check (sh; exit 3 if fail)
 *
 * Container steps run `/bin/sh` and Python steps the image's `python3` with no packages, so the
 * test cluster's node agent (containers as host processes) runs them as a real cluster would.
 */
import { artifact, collected, component, param, parallelFor, pipeline, python, type Task, when } from '@kiln/dsl';
import type { PipelineSpec } from '@kiln/ir';
import { compile } from '@kiln/dsl';

const shellImage = 'alpine:3.20';
const pythonImage = 'python:3.11-slim';

/** `rows` lines `<seed>:<i>`; sleeps first so the run is still going when faults arrive. */
const makeRows = python({
  name: 'make-rows',
  image: pythonImage,
  inputs: { seed: param.string(), rows: param.int(), napSeconds: param.int() },
  outputs: { table: artifact.dataset(), count: param.int() },
  source: `
    def make_rows(seed, rows, nap_seconds, table):
        import time
        time.sleep(nap_seconds)
        with open(table.path, "w") as f:
            for i in range(rows):
                f.write("%s:%d\\n" % (seed, i))
        return {"count": rows}
  `,
});

/** One loop iteration: the table under a `[shard]` header line. Values arrive as `$0`, `$1`…, never spliced into the script. */
const tagShard = component({
  name: 'tag-shard',
  image: shellImage,
  inputs: { table: artifact.dataset(), shard: param.string(), napSeconds: param.int() },
  outputs: { tagged: artifact.dataset() },
  command: ({ inputs, outputs }) => [
    '/bin/sh',
    '-c',
    'sleep "$2" && printf "[%s]\\n" "$1" > "$3" && cat "$0" >> "$3"',
    inputs.table.path,
    inputs.shard,
    inputs.napSeconds,
    outputs.tagged.path,
  ],
});

/** The fan-in: the tagged tables in item order, joined, and how many lines that makes. */
const joinParts = python({
  name: 'join-parts',
  image: pythonImage,
  inputs: { parts: artifact.list(artifact.dataset()) },
  outputs: { joined: artifact.dataset(), lines: param.int() },
  source: `
    def join_parts(parts, joined):
        text = "".join(open(p.path).read() for p in parts)
        with open(joined.path, "w") as f:
            f.write(text)
        return {"lines": text.count("\\n")}
  `,
});

/** The branch for big tables: the joined text in upper case. */
const shout = component({
  name: 'shout',
  image: shellImage,
  inputs: { joined: artifact.dataset() },
  outputs: { summary: artifact.markdown(), verdict: param.string() },
  command: ({ inputs, outputs }) => [
    '/bin/sh',
    '-c',
    'tr "a-z" "A-Z" < "$0" > "$1" && printf big > "$2"',
    inputs.joined.path,
    outputs.summary.path,
    outputs.verdict.path,
  ],
});

/** The branch for small tables: the joined text's first line. */
const whisper = python({
  name: 'whisper',
  image: pythonImage,
  inputs: { joined: artifact.dataset() },
  outputs: { summary: artifact.markdown(), verdict: param.string() },
  source: `
    def whisper(joined, summary):
        with open(joined.path) as src, open(summary.path, "w") as dst:
            dst.write(src.readline())
        return {"verdict": "small"}
  `,
});

/** Counts the joined lines, or exits 3 when the run asked to fail: a user failure, never retried. */
const finalCheck = component({
  name: 'final-check',
  image: shellImage,
  inputs: { joined: artifact.dataset(), fail: param.bool() },
  outputs: { lines: param.int() },
  command: ({ inputs, outputs }) => [
    '/bin/sh',
    '-c',
    'if [ "$1" = true ]; then echo "failing on request" >&2; exit 3; fi; wc -l < "$0" | tr -d " " > "$2"',
    inputs.joined.path,
    inputs.fail,
    outputs.lines.path,
  ],
});

export const chaosPipeline = pipeline(
  {
    name: 'chaos-mix',
    description: 'Python and container steps, a loop with fan-in, a condition and artifacts, for the chaos soak',
    params: {
      seed: param.string(),
      rows: param.int(),
      shards: param.list(param.string()),
      threshold: param.int(),
      napSeconds: param.int({ default: 0 }),
      fail: param.bool({ default: false }),
    },
    settings: { executor: 'kubernetes' },
  },
  (p) => {
    const rows = makeRows({ seed: p.seed, rows: p.rows, napSeconds: p.napSeconds });
    let tagged!: Task<ReturnType<typeof tagShard>['outputs']>;
    parallelFor(p.shards, (shard) => {
      tagged = tagShard({ table: rows.outputs.table, shard, napSeconds: p.napSeconds });
    });
    const join = joinParts({ parts: collected(tagged.outputs.tagged) });
    when(rows.outputs.count.ge(p.threshold), () => {
      shout({ joined: join.outputs.joined });
    }).otherwise(() => {
      whisper({ joined: join.outputs.joined });
    });
    finalCheck({ joined: join.outputs.joined, fail: p.fail });
  },
);

/** The compiled IR every soak run starts. */
export function chaosSpec(): PipelineSpec {
  return compile(chaosPipeline);
}

/** One run's parameters. */
export interface ChaosParams {
  seed: string;
  rows: number;
  shards: string[];
  threshold: number;
  napSeconds: number;
  fail: boolean;
}

/** What one task instance must end as, and with what outputs when it succeeds. */
export interface ExpectedTask {
  id: string;
  iteration: number[];
  state: 'succeeded' | 'skipped' | 'failed';
  params: Record<string, string | number>;
  /** Output artifact name → its exact bytes. */
  artifacts: Record<string, string>;
}

export interface ExpectedRun {
  state: 'SUCCEEDED' | 'FAILED';
  tasks: ExpectedTask[];
}

/**
 * What a run with these parameters must end as: the run's state, every task instance's state and,
 * for those that succeed, their output parameters and the exact bytes of their artifacts.
 *
 * @example
 * ```ts
 * expectedRun({ seed: 's', rows: 2, shards: ['a'], threshold: 3, napSeconds: 0, fail: false }).state; // 'SUCCEEDED'
 * ```
 */
export function expectedRun(p: ChaosParams): ExpectedRun {
  const table = Array.from({ length: p.rows }, (_, i) => `${p.seed}:${i}\n`).join('');
  const tagged = p.shards.map((shard) => `[${shard}]\n${table}`);
  const joined = tagged.join('');
  const lines = p.shards.length * (p.rows + 1);
  const big = p.rows >= p.threshold;
  const ok = (id: string, params: ExpectedTask['params'], artifacts: ExpectedTask['artifacts'], iteration = []) => ({
    id,
    iteration: iteration as number[],
    state: 'succeeded' as const,
    params,
    artifacts,
  });
  const skipped = (id: string): ExpectedTask => ({ id, iteration: [], state: 'skipped', params: {}, artifacts: {} });
  return {
    state: p.fail ? 'FAILED' : 'SUCCEEDED',
    tasks: [
      ok('make-rows', { count: p.rows }, { table }),
      ...tagged.map((text, i) => ({ ...ok('tag-shard', {}, { tagged: text }), iteration: [i] })),
      ok('join-parts', { lines }, { joined }),
      big ? ok('shout', { verdict: 'big' }, { summary: joined.toUpperCase() }) : skipped('shout'),
      big ? skipped('whisper') : ok('whisper', { verdict: 'small' }, { summary: `[${p.shards[0] ?? ''}]\n` }),
      p.fail
        ? { id: 'final-check', iteration: [], state: 'failed', params: {}, artifacts: {} }
        : ok('final-check', { lines }, {}),
    ],
  };
}
