/**
 * What every finished soak run must show, checked against MinIO itself rather than the run's own
 * account: the state its parameters imply, every task instance once and in its implied state,
 * every output parameter with its implied value, every artifact's bytes read back from MinIO hashing
 * to the digest the run recorded and equal to what the step was to write, the run record saved, and
 * exactly one completed output record (executor-output.json) per task instance that succeeded.
 */
import { createHash } from 'node:crypto';
import type { ArtifactStore } from '@kiln/artifacts';
import type { RunStatusDocument, TaskStatus } from '@kiln/engine-contract';
import { runRecordKey, runRecordSchema } from '@kiln/store-layout';
import type { ExpectedRun, ExpectedTask } from './pipeline';

/** What the checks of one run found. `problems` is empty when the run survived. */
export interface RunVerdict {
  problems: string[];
  artifactsVerified: number;
  completedOutputs: number;
}

const instance = (id: string, iteration: readonly number[] | undefined) =>
  iteration && iteration.length > 0 ? `${id}[${iteration.join(',')}]` : id;

async function bytesOf(store: ArtifactStore, uri: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(store.keyOf(uri))) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function checkArtifacts(
  store: ArtifactStore,
  want: ExpectedTask,
  got: TaskStatus,
  problems: string[],
): Promise<number> {
  let verified = 0;
  const where = instance(want.id, want.iteration);
  for (const [name, content] of Object.entries(want.artifacts)) {
    const artifact = got.outputs.artifacts[name];
    if (!artifact) {
      problems.push(`${where}: output artifact "${name}" is missing from the status document (lost output)`);
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await bytesOf(store, artifact.uri);
    } catch (error) {
      problems.push(
        `${where}: artifact "${name}" (${artifact.uri}) cannot be read from MinIO: ${(error as Error).message}`,
      );
      continue;
    }
    const digest = sha256(bytes);
    const stored = (await store.stat(store.keyOf(artifact.uri))).digest;
    if (digest !== artifact.digest || stored !== artifact.digest)
      problems.push(
        `${where}: artifact "${name}" in MinIO hashes to ${digest} (store metadata ${stored}), the run recorded ${artifact.digest}`,
      );
    else if (bytes.toString('utf8') !== content)
      problems.push(
        `${where}: artifact "${name}" holds ${JSON.stringify(bytes.toString('utf8').slice(0, 80))}, expected ${JSON.stringify(content.slice(0, 80))}`,
      );
    else verified++;
  }
  return verified;
}

function checkParams(want: ExpectedTask, got: TaskStatus, problems: string[]): void {
  for (const [name, value] of Object.entries(want.params)) {
    const actual = got.outputs.params[name];
    if (actual !== value)
      problems.push(
        `${instance(want.id, want.iteration)}: output parameter "${name}" is ${JSON.stringify(actual)}, expected ${JSON.stringify(value)}`,
      );
  }
}

/** Completed output records per task instance, from the store's `executions/<runId>.<task>[.<iter>].<attempt>/` keys. */
async function completedOutputRecords(store: ArtifactStore, runId: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const prefix = `executions/${runId}.`;
  for await (const key of store.list(prefix)) {
    if (!key.endsWith('/executor-output.json')) continue;
    const parts = key.slice(prefix.length, -'/executor-output.json'.length).split('.');
    parts.pop(); // the attempt
    const [task, iteration] = parts;
    const name = instance(task ?? '?', iteration ? iteration.split('-').map(Number) : []);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/**
 * Checks one finished run against what its parameters imply.
 *
 * @example
 * ```ts
 * const verdict = await verifyRun(store, doc, expectedRun(params));
 * if (verdict.problems.length > 0) console.error(verdict.problems.join('\n'));
 * ```
 */
export async function verifyRun(store: ArtifactStore, doc: RunStatusDocument, want: ExpectedRun): Promise<RunVerdict> {
  const problems: string[] = [];
  let artifactsVerified = 0;
  if (doc.state !== want.state)
    problems.push(
      `run ended ${doc.state}, expected ${want.state}${doc.error ? ` (${JSON.stringify(doc.error)})` : ''}`,
    );
  const seen = new Map<string, TaskStatus[]>();
  for (const t of doc.tasks)
    seen.set(instance(t.id, t.iteration), [...(seen.get(instance(t.id, t.iteration)) ?? []), t]);
  for (const [name, entries] of seen) {
    if (!want.tasks.some((w) => instance(w.id, w.iteration) === name))
      problems.push(`${name}: a task the pipeline does not imply`);
    if (entries.length > 1) problems.push(`${name}: ${entries.length} entries in the status document`);
  }
  const records = await completedOutputRecords(store, doc.runId);
  let completedOutputs = 0;
  for (const w of want.tasks) {
    const name = instance(w.id, w.iteration);
    const got = seen.get(name)?.[0];
    if (!got) {
      problems.push(`${name}: missing from the status document`);
      continue;
    }
    if (got.state !== w.state)
      problems.push(
        `${name}: ended ${got.state}, expected ${w.state}${got.error ? ` (${got.reason ?? ''} ${got.error})` : ''}`,
      );
    const outputRecords = records.get(name) ?? 0;
    completedOutputs += outputRecords;
    const wantRecords = w.state === 'succeeded' ? 1 : 0;
    if (outputRecords !== wantRecords)
      problems.push(
        `${name}: ${outputRecords} completed output records (executor-output.json) in the store, expected ${wantRecords}`,
      );
    if (w.state !== 'succeeded' || got.state !== 'succeeded') continue;
    checkParams(w, got, problems);
    artifactsVerified += await checkArtifacts(store, w, got, problems);
  }
  await checkRunRecord(store, doc, problems);
  return { problems, artifactsVerified, completedOutputs };
}

async function checkRunRecord(store: ArtifactStore, doc: RunStatusDocument, problems: string[]): Promise<void> {
  try {
    const record = await store.readJson(runRecordKey(doc.pipeline.name, doc.runId), runRecordSchema);
    if (record.state !== doc.state)
      problems.push(`the saved run record says ${record.state}, the run ended ${doc.state}`);
  } catch (error) {
    problems.push(`the run record cannot be read from MinIO: ${(error as Error).message}`);
  }
}
