/** Every key and URI format of the store, spelled out: these strings are what old records are found by. */
import {
  attemptOutputKey,
  attemptOutputUri,
  cacheEntryKey,
  executionKey,
  executionKeyOfPodRequest,
  executionPrefix,
  executorOutputKey,
  launcherFailureKey,
  liveLogChunkKey,
  liveLogPrefix,
  pipelinePrefix,
  pipelineSpecKey,
  pipelineVersionKey,
  pipelineVersionOfKey,
  pipelineVersionsPrefix,
  pipelinesPrefix,
  podRequestKey,
  runOriginKey,
  runPrefix,
  runRecordKey,
  stepLogKey,
  storeProbeKey,
} from '../src';

describe('the execution key', () => {
  test('is <runId>.<taskPath>[.<iteration>].<attempt>', () => {
    expect(executionKey({ runId: 'kiln-demo-1', taskId: 'train', iteration: [2, 0], attempt: 3 })).toBe(
      'kiln-demo-1.train.2-0.3',
    );
    expect(executionKey({ runId: 'kiln-demo-1', taskId: 'load', iteration: [], attempt: 1 })).toBe(
      'kiln-demo-1.load.1',
    );
    expect(executionKey({ runId: 'kiln-demo-1', taskId: 'load', attempt: 1 })).toBe('kiln-demo-1.load.1');
  });

  test('keeps the sub-pipeline path of a task', () => {
    expect(executionKey({ runId: 'r', taskId: 'deep/wrap/same', iteration: [1], attempt: 1 })).toBe(
      'r.deep/wrap/same.1.1',
    );
  });
});

describe("an attempt's records live under executions/<executionKey>/", () => {
  const key = 'r.train.1';

  test('executor output, saved log, live log chunks, pod request and launcher failure', () => {
    expect(executionPrefix(key)).toBe('executions/r.train.1');
    expect(executorOutputKey(key)).toBe('executions/r.train.1/executor-output.json');
    expect(stepLogKey(key)).toBe('executions/r.train.1/log.txt');
    expect(liveLogPrefix(key)).toBe('executions/r.train.1/log.live/');
    expect(liveLogChunkKey(key, 12)).toBe('executions/r.train.1/log.live/00000012');
    expect(podRequestKey(key)).toBe('executions/r.train.1/pod-request.json');
    expect(launcherFailureKey(key)).toBe('executions/r.train.1/launcher-failure.json');
  });

  test('live log chunk numbers are integers from 1 to 8 digits, so keys sort in chunk order', () => {
    expect(liveLogChunkKey(key, 99_999_999)).toBe('executions/r.train.1/log.live/99999999');
    for (const bad of [0, -1, 1.5, 100_000_000, Number.NaN]) {
      expect(() => liveLogChunkKey(key, bad)).toThrow(RangeError);
    }
  });

  test('the pod request key gives back its execution key, sub-pipeline path and all', () => {
    for (const k of ['r.train.1', 'r.wrap/same.0-1.2', 'test/run/3-17']) {
      expect(executionKeyOfPodRequest(podRequestKey(k))).toBe(k);
    }
    expect(executionKeyOfPodRequest('executions/r.train.1/log.txt')).toBeUndefined();
    expect(executionKeyOfPodRequest('elsewhere/r.train.1/pod-request.json')).toBeUndefined();
    expect(executionKeyOfPodRequest('executions//pod-request.json')).toBeUndefined();
  });
});

describe('a run lives under runs/<pipeline>/<runId>/', () => {
  test('its record and its origin', () => {
    expect(runPrefix('training', 'kiln-training-1')).toBe('runs/training/kiln-training-1');
    expect(runRecordKey('training', 'kiln-training-1')).toBe('runs/training/kiln-training-1/record.json');
    expect(runOriginKey('training', 'kiln-training-1')).toBe('runs/training/kiln-training-1/origin.json');
  });

  test("each attempt's outputs under tasks/<taskPath>[/iter-i-j]/attempt-n/", () => {
    const ref = { pipelineName: 'training', runId: 'r1', taskId: 'train', attempt: 2 };
    expect(attemptOutputKey(ref, 'model')).toBe('runs/training/r1/tasks/train/attempt-2/model');
    expect(attemptOutputKey({ ...ref, iteration: [3, 0] }, 'model')).toBe(
      'runs/training/r1/tasks/train/iter-3-0/attempt-2/model',
    );
    expect(attemptOutputKey({ ...ref, taskId: 'wrap/same', iteration: [] }, 'model')).toBe(
      'runs/training/r1/tasks/wrap/same/attempt-2/model',
    );
  });

  test('output URIs sit below the artifact root, with or without its trailing slash', () => {
    const ref = { pipelineName: 'p', runId: 'r', taskId: 't', attempt: 1 };
    expect(attemptOutputUri('s3://ml/kiln', ref, 'out')).toBe('s3://ml/kiln/runs/p/r/tasks/t/attempt-1/out');
    expect(attemptOutputUri('file:///data/kiln//', ref, 'out')).toBe(
      'file:///data/kiln/runs/p/r/tasks/t/attempt-1/out',
    );
  });
});

describe('the cache and the pipeline registry', () => {
  test('a cache entry is cache/<hex>.json, with or without the sha256: prefix', () => {
    expect(cacheEntryKey('sha256:9c1e')).toBe('cache/9c1e.json');
    expect(cacheEntryKey('9c1e')).toBe('cache/9c1e.json');
  });

  test('pipelines/<name>/<hex>.json holds the IR, pipelines/<name>/versions/<v>.json a version', () => {
    expect(pipelinesPrefix).toBe('pipelines/');
    expect(pipelinePrefix('training')).toBe('pipelines/training/');
    expect(pipelineSpecKey('training', 'sha256:ab12')).toBe('pipelines/training/ab12.json');
    expect(pipelineVersionsPrefix('training')).toBe('pipelines/training/versions/');
    expect(pipelineVersionKey('training', '3')).toBe('pipelines/training/versions/3.json');
    expect(storeProbeKey).toBe('pipelines/.readyz');
  });

  test('a listed version key gives back its pipeline and label; other keys give nothing', () => {
    expect(pipelineVersionOfKey(pipelineVersionKey('training', 'v1.2'))).toEqual({ name: 'training', version: 'v1.2' });
    expect(pipelineVersionOfKey(pipelineSpecKey('training', 'sha256:ab'))).toBeUndefined();
    expect(pipelineVersionOfKey('pipelines/training/versions/notes.txt')).toBeUndefined();
    expect(pipelineVersionOfKey(storeProbeKey)).toBeUndefined();
  });
});
