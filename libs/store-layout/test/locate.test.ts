/** Executors derive an attempt's store locations from its identity; requests from older histories keep theirs. */
import type {
  ImportArtifactRequest,
  LegacyImportArtifactRequest,
  LegacyStepRequest,
  StepRequest,
} from '@kiln/engine-contract';
import { importTargetUri, locateStep } from '../src';

const component: StepRequest['component'] = {
  name: 'train',
  inputs: {},
  outputs: { model: { kind: 'artifact', type: 'model' }, accuracy: { kind: 'param', type: 'float' } },
  implementation: { type: 'container', image: 'alpine:3.20', command: ['true'] },
};

const request: StepRequest = {
  runId: 'kiln-training-1',
  workflowId: 'kiln-training-1',
  pipelineName: 'training',
  taskId: 'train',
  iteration: [4],
  attempt: 2,
  artifactRoot: 'file:///data/kiln',
  summary: 'train [5/10]',
  componentId: 'train',
  component,
  inputs: { params: {}, artifacts: {} },
  outputs: { params: { accuracy: 'float' }, artifacts: { model: { type: 'model' } } },
  settings: {},
  executor: 'local',
};

describe('locateStep', () => {
  test('derives the execution key and every output URI from the identity and the artifact root', () => {
    const step = locateStep(request);
    expect(step.executionKey).toBe('kiln-training-1.train.4.2');
    expect(step.outputs).toEqual({
      params: { accuracy: 'float' },
      artifacts: {
        model: {
          uri: 'file:///data/kiln/runs/training/kiln-training-1/tasks/train/iter-4/attempt-2/model',
          type: 'model',
        },
      },
    });
    expect(step).not.toHaveProperty('artifactRoot');
    expect(step).toMatchObject({ runId: 'kiln-training-1', taskId: 'train', iteration: [4], attempt: 2, component });
  });

  test('keeps the key and URIs a request from an older history carries', () => {
    const { artifactRoot: _root, ...identity } = request;
    const legacy: LegacyStepRequest = {
      ...identity,
      executionKey: 'kiln-training-1.train.4.2',
      outputs: {
        params: { accuracy: 'float' },
        artifacts: {
          model: { uri: 'file:///data/kiln/runs/kiln-training-1/train/iter-4/attempt-2/model', type: 'model' },
        },
      },
    };
    expect(locateStep(legacy)).toEqual(legacy);
  });
});

describe('importTargetUri', () => {
  const base = { runId: 'r1', taskId: 'bring', uri: 'file:///in/x.csv', artifactType: 'dataset' as const };

  test("is the importer output's place in the run, as the first attempt", () => {
    const req: ImportArtifactRequest = {
      ...base,
      pipelineName: 'training',
      iteration: [0, 1],
      artifactRoot: 's3://ml/kiln',
      output: 'data',
      metadata: {},
      reimport: true,
    };
    expect(importTargetUri(req)).toBe('s3://ml/kiln/runs/training/r1/tasks/bring/iter-0-1/attempt-1/data');
  });

  test('is the targetUri a request from an older history names', () => {
    const legacy: LegacyImportArtifactRequest = { ...base, metadata: {}, reimport: true, targetUri: 's3://ml/old/x' };
    expect(importTargetUri(legacy)).toBe('s3://ml/old/x');
  });
});
