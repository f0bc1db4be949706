/**
 * SharedRunReads is pure bookkeeping around a read function; these tests give it a counting read
 * (no server: what is checked is how many reads it makes, which no real Temporal can report).
 */
import type { RunResource } from '@kiln/api-contract';
import { SharedRunReads } from '../src/insights/shared-run-reads';

function countingReads(fail = false) {
  const calls: string[] = [];
  const read = async (runId: string) => {
    calls.push(runId);
    await new Promise((r) => setTimeout(r, 20));
    if (fail) throw new Error(`no run ${runId}`);
    return { runId } as unknown as RunResource;
  };
  return { calls, read };
}

test('streams of one run asking at once, or within maxAge, share one read; other runs get their own', async () => {
  const { calls, read } = countingReads();
  const reads = new SharedRunReads(read, 200);
  const answers = await Promise.all([reads.read('a'), reads.read('a'), reads.read('a'), reads.read('b')]);
  expect(answers.map((r) => r.runId)).toEqual(['a', 'a', 'a', 'b']);
  await reads.read('a');
  expect(calls).toEqual(['a', 'b']);
});

test('a read older than maxAge is made again', async () => {
  const { calls, read } = countingReads();
  const reads = new SharedRunReads(read, 30);
  await reads.read('a');
  await new Promise((r) => setTimeout(r, 40));
  await reads.read('a');
  expect(calls).toEqual(['a', 'a']);
});

test('a failed read is not kept: the next asker reads again', async () => {
  const { calls, read } = countingReads(true);
  const reads = new SharedRunReads(read, 10_000);
  await expect(reads.read('gone')).rejects.toThrow('no run gone');
  await expect(reads.read('gone')).rejects.toThrow('no run gone');
  expect(calls).toEqual(['gone', 'gone']);
});

test('readFresh reads anew even within maxAge, and what it read answers the next read', async () => {
  const { calls, read } = countingReads();
  const reads = new SharedRunReads(read, 10_000);
  await reads.read('a');
  await reads.readFresh('a');
  await reads.read('a');
  expect(calls).toEqual(['a', 'a']);
});
