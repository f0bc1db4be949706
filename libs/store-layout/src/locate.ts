/**
 * From what the workflow says (an attempt's identity and the run's artifact
 * root) to where things go in the store. Executors and the importer call these
 * so the workflow computes no store formats; requests recorded by older
 * workflow code already name their locations, and those are kept.
 */
import type {
  ImportArtifactRequest,
  LegacyImportArtifactRequest,
  LegacyStepRequest,
  StepRequest,
} from '@kiln/engine-contract';
import { executionKey } from './execution-key';
import { attemptOutputUri } from './runs';

/**
 * A step request with its store locations resolved: the execution key and the
 * URI of every output artifact. What executors work from; a
 * {@link LegacyStepRequest} already has this shape.
 */
export type LocatedStep = LegacyStepRequest;

/**
 * Resolves a step request's execution key and output URIs. A request from a
 * history recorded before the workflow stopped choosing them (it has no
 * `artifactRoot`) keeps the ones it carries, so a retried attempt of an
 * in-flight run writes where its earlier tries did.
 *
 * @example
 * ```ts
 * const step = locateStep(req);
 * step.executionKey;                  // 'kiln-training-01j.train.1'
 * step.outputs.artifacts.model.uri;   // 'file:///data/kiln/runs/training/kiln-training-01j/tasks/train/attempt-1/model'
 * ```
 */
export function locateStep(req: StepRequest | LegacyStepRequest): LocatedStep {
  if (!('artifactRoot' in req)) return req;
  const { artifactRoot, outputs, ...rest } = req;
  const artifacts: LocatedStep['outputs']['artifacts'] = {};
  for (const [name, output] of Object.entries(outputs.artifacts)) {
    artifacts[name] = { uri: attemptOutputUri(artifactRoot, req, name), type: output.type };
  }
  return { ...rest, executionKey: executionKey(req), outputs: { params: outputs.params, artifacts } };
}

/**
 * Where an importer copies the bytes it brings in (with `reimport`): its
 * output's place in the run, as the task's first and only attempt. Requests
 * recorded by older workflow code name it themselves (`targetUri`).
 *
 * @example
 * ```ts
 * importTargetUri({ runId: 'r1', pipelineName: 'training', taskId: 'bring', iteration: [], output: 'data',
 *                   artifactRoot: 'file:///data/kiln', uri, artifactType: 'dataset', metadata: {}, reimport: true });
 * // 'file:///data/kiln/runs/training/r1/tasks/bring/attempt-1/data'
 * ```
 */
export function importTargetUri(req: ImportArtifactRequest | LegacyImportArtifactRequest): string {
  if ('targetUri' in req) return req.targetUri;
  return attemptOutputUri(req.artifactRoot, { ...req, attempt: 1 }, req.output);
}
