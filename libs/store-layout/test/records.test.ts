/**
 * The record schemas accept what Kiln writes and refuse what it does not: the
 * stores' `readJson` runs them on every read (see libs/artifacts' contract
 * tests and the readers' tests for the errors a malformed record gives).
 */
import {
  cacheEntrySchema,
  executorOutputSchema,
  launchRequestSchema,
  launcherFailureSchema,
  pipelineVersionSchema,
  runOriginSchema,
  runRecordSchema,
} from '../src';

const artifact = { uri: 'file:///s/model', type: 'model', digest: 'sha256:aa', metadata: { trees: 10 } };
const result = {
  exitCode: 0,
  outputs: { params: { accuracy: 0.9 }, artifacts: { model: artifact } },
  startedAt: '2025-01-01T00:00:00.000Z',
  finishedAt: '2025-01-01T00:00:01.000Z',
  executor: 'local',
};

test('a run record is a run status document', () => {
  const doc = {
    runId: 'r1',
    workflowId: 'r1',
    pipeline: { name: 'training', digest: 'sha256:00' },
    params: {},
    state: 'SUCCEEDED',
    startedAt: '2025-01-01T00:00:00.000Z',
    tasks: [],
  };
  expect(runRecordSchema.parse(doc)).toEqual(doc);
  expect(runRecordSchema.safeParse({ ...doc, state: 'DONE' }).success).toBe(false);
});

test('a run origin names who started the run from which digest', () => {
  const origin = { startedBy: 'ci', pipelineVersion: '3', pipelineDigest: 'sha256:00', retryOf: 'r0' };
  expect(runOriginSchema.parse(origin)).toEqual(origin);
  expect(runOriginSchema.safeParse({ startedBy: 'ci' }).success).toBe(false);
});

test('a cache entry is the cached step with its fingerprint and task', () => {
  const entry = { fingerprint: 'sha256:ff', runId: 'r1', taskId: 'train', createdAt: '2025-01-01T00:00:00Z', result };
  expect(cacheEntrySchema.parse(entry)).toEqual(entry);
  expect(cacheEntrySchema.safeParse({ ...entry, result: { ...result, exitCode: '0' } }).success).toBe(false);
});

test("an executor output lists the attempt's outputs and metrics", () => {
  const output = {
    executionKey: 'r1.train.1',
    exitCode: 0,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    logUri: 'file:///s/executions/r1.train.1/log.txt',
    outputs: result.outputs,
    metrics: { metrics: { accuracy: 0.9 } },
  };
  expect(executorOutputSchema.parse(output)).toEqual(output);
  expect(executorOutputSchema.safeParse({ ...output, metrics: undefined }).success).toBe(false);
});

test('a staged launch request carries a component of the IR', () => {
  const request = {
    executionKey: 'r1.train.1',
    component: {
      name: 'train',
      inputs: {},
      outputs: {},
      implementation: { type: 'container', image: 'alpine:3.20', command: ['true'] },
    },
    inputs: { params: { n: 1 }, artifacts: { data: [artifact] } },
    outputs: { params: { accuracy: 'float' }, artifacts: { model: { uri: 'file:///s/m', type: 'model' } } },
    identity: { runId: 'r1', pipelineName: 'training', taskId: 'train', iteration: [], attempt: 1 },
    timeoutSeconds: 60,
  };
  expect(launchRequestSchema.parse(request)).toEqual(request);
  expect(launchRequestSchema.safeParse({ ...request, component: { name: 'train' } }).success).toBe(false);
});

test('a launcher failure is classified', () => {
  const failure = { failureType: 'infrastructure', reason: 'InputFetchFailed', message: 'no such key' };
  expect(launcherFailureSchema.parse(failure)).toEqual(failure);
  expect(launcherFailureSchema.safeParse({ ...failure, failureType: 'oops' }).success).toBe(false);
});

test('a pipeline version names its digest', () => {
  const version = { name: 'training', version: '1', digest: 'sha256:00', createdAt: 'now', createdBy: 'ci' };
  expect(pipelineVersionSchema.parse(version)).toEqual(version);
  expect(pipelineVersionSchema.safeParse({ ...version, digest: 7 }).success).toBe(false);
});
