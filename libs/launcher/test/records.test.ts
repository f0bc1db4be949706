/**
 * What the launcher leaves in the store reads back through the record schemas
 * of `@kiln/store-layout`: the executor-output record (whose type is inferred
 * from its schema) and a failure as the in-pod launcher records it.
 */
import { expectTypeOf } from 'expect-type';
import { executorOutputKey, launcherFailureSchema } from '@kiln/store-layout';
import type { z } from 'zod';
import { LaunchError, toLaunchFailure, writeExecutorOutput, type ExecutorOutput, type LaunchFailure } from '../src';
import { sandbox, type Sandbox } from './helpers';

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

test('a LaunchFailure is exactly what launcherFailureSchema reads back', () => {
  expectTypeOf<LaunchFailure>().toEqualTypeOf<z.infer<typeof launcherFailureSchema>>();
  const failure = toLaunchFailure(new LaunchError('user', 'NonZeroExit', 'exited 3', { exitCode: 3 }));
  expect(launcherFailureSchema.parse(failure)).toEqual(failure);
});

const record: ExecutorOutput = {
  executionKey: 'r.train.1',
  exitCode: 0,
  startedAt: '2025-01-01T00:00:00.000Z',
  finishedAt: '2025-01-01T00:00:01.000Z',
  logUri: 'file:///s/executions/r.train.1/log.txt',
  outputs: { params: { n: 1 }, artifacts: {} },
  metrics: {},
};

test('writeExecutorOutput returns the record that stands when an earlier try wrote one', async () => {
  const first = await writeExecutorOutput(box.store, record);
  const second = await writeExecutorOutput(box.store, { ...record, outputs: { params: { n: 2 }, artifacts: {} } });
  expect(second).toEqual(first);
});

test('writeExecutorOutput meeting a malformed record there fails naming its key, not handing it on', async () => {
  const key = executorOutputKey(record.executionKey);
  await box.store.put(key, '{"executionKey": "r.train.1", "exitCode": "zero"}');
  await expect(writeExecutorOutput(box.store, record)).rejects.toMatchObject({
    name: 'StoreRecordError',
    key,
    issues: expect.arrayContaining([{ path: '$.exitCode', message: expect.any(String) }]),
  });
});
