/**
 * The pure parts of `@kiln/engine-client`: run states, visibility queries and
 * lookups in a status document. The Temporal-facing parts are exercised
 * against real servers by the API's and the client's tests.
 */
import {
  KilnRequestError,
  requireOutputArtifact,
  requireTask,
  runArtifacts,
  runStateOf,
  runsQuery,
  type RunStatusDocument,
  type TaskStatus,
} from '../src';

const task = (over: Partial<TaskStatus>): TaskStatus => ({
  id: 'train',
  name: 'train',
  displayName: 'train',
  state: 'succeeded',
  attempts: 1,
  cached: false,
  executor: 'local',
  outputs: { params: {}, artifacts: {} },
  ...over,
});

const run: Pick<RunStatusDocument, 'runId' | 'tasks'> = {
  runId: 'kiln-demo-1',
  tasks: [
    task({
      id: 'load',
      outputs: {
        params: {},
        artifacts: { data: { uri: 'file:///s/data.csv', type: 'dataset', digest: 'sha256:aa', metadata: {} } },
      },
    }),
    task({
      id: 'train',
      iteration: [0],
      outputs: { params: {}, artifacts: { model: { uri: 'file:///s/m0', type: 'model', metadata: {} } } },
    }),
    task({ id: 'train', iteration: [1], state: 'failed' }),
    task({ id: 'train', batched: { total: 500, counts: { succeeded: 500 }, childWorkflowIds: [] } }),
  ],
};

test('Temporal statuses map to run states; a running run is PENDING until its first step', () => {
  expect(runStateOf('COMPLETED')).toBe('SUCCEEDED');
  expect(runStateOf('TERMINATED', 'SUCCEEDED')).toBe('FAILED');
  expect(runStateOf('TIMED_OUT')).toBe('FAILED');
  expect(runStateOf('CANCELLED')).toBe('CANCELLED');
  expect(runStateOf('RUNNING', 'PENDING')).toBe('PENDING');
  expect(runStateOf('RUNNING', 'RUNNING')).toBe('RUNNING');
});

test('visibility queries quote values so none can end the string early', () => {
  expect(runsQuery({ pipeline: 'training', status: 'FAILED' })).toBe(
    "WorkflowType = 'kilnPipelineRun' AND KilnPipelineName = 'training' AND ExecutionStatus IN ('Failed', 'Terminated', 'TimedOut')",
  );
  expect(runsQuery({ experiment: `a' OR '1"\\` })).toBe(
    "WorkflowType = 'kilnPipelineRun' AND KilnExperiment = 'a OR 1'",
  );
});

test('start-time filters become UTC instants, and what is no time is refused naming the filter', () => {
  expect(runsQuery({ startedAfter: '2026-12-01T09:00:00+01:00', startedBefore: '2026-12-02T00:00:00Z' })).toBe(
    "WorkflowType = 'kilnPipelineRun' AND StartTime >= '2026-12-01T08:00:00.000Z' AND StartTime < '2026-12-02T00:00:00.000Z'",
  );
  expect(() => runsQuery({ startedAfter: "x' OR '1" })).toThrow(/startedAfter: not a time/);
});

test('artifacts are listed per task and iteration, skipping batched loop summaries', () => {
  expect(runArtifacts(run).map((a) => [a.taskId, a.iteration, a.output, a.uri])).toEqual([
    ['load', undefined, 'data', 'file:///s/data.csv'],
    ['train', [0], 'model', 'file:///s/m0'],
  ]);
});

test('a missing task or output is a not-found that says what exists', () => {
  expect(requireTask(run, 'train', [1]).state).toBe('failed');
  expect(requireOutputArtifact(run, { taskId: 'train', output: 'model', iteration: [0] }).uri).toBe('file:///s/m0');
  expect(() => requireTask(run, 'deploy')).toThrow(
    new KilnRequestError('not-found', 'task deploy is not in run kiln-demo-1 (tasks: load, train)'),
  );
  const missing = (() => {
    try {
      requireOutputArtifact(run, { taskId: 'train', output: 'metrics', iteration: [1] });
    } catch (error) {
      return error;
    }
  })();
  expect(missing).toBeInstanceOf(KilnRequestError);
  expect(missing).toMatchObject({
    status: 404,
    code: 'not-found',
    message: 'task train has no output artifact metrics (failed; outputs: none)',
  });
});
