/**
 * Is this KFP YAML, and which kind? Kiln takes pipelines and components from
 * files that may be Kiln IR or KFP; this tells them apart without translating.
 */
import { isRecord } from './reader';
import { readKfpSource, type KfpInput } from './source';

/**
 * - `pipeline`: a KFP v2 PipelineSpec (one document);
 * - `pipeline+platform`: a PipelineSpec followed by its Kubernetes platform spec (kfp-kubernetes);
 * - `component`: a PipelineSpec that is one component compiled on its own (what
 *   `kfp.components.load_component_from_file` reads: its root runs a single
 *   container or importer with the root's inputs passed straight through);
 * - `component-v1`: a KFP v1 `component.yaml` (`name`, `inputs`, `implementation.container`).
 */
export type KfpKind = 'pipeline' | 'pipeline+platform' | 'component' | 'component-v1';

/**
 * Recognises KFP YAML; `undefined` for anything else (Kiln IR, other YAML, text that is not YAML).
 *
 * @example
 * ```ts
 * detectKfp(readFileSync('pipeline.yaml', 'utf8')); // 'pipeline+platform'
 * detectKfp('schemaVersion: "1.0"\npipeline: { name: x }\n...'); // undefined: Kiln IR
 * ```
 */
export function detectKfp(input: KfpInput): KfpKind | undefined {
  let documents: readonly unknown[];
  try {
    documents = readKfpSource(input).documents;
  } catch {
    return undefined;
  }
  const [first, second] = documents;
  if (!isRecord(first)) return undefined;
  if (isPipelineSpec(first)) {
    if (isRecord(second) && isRecord(second['platforms'])) return 'pipeline+platform';
    return isSingleComponent(first) ? 'component' : 'pipeline';
  }
  if (isV1Component(first) && documents.length === 1) return 'component-v1';
  return undefined;
}

export function isPipelineSpec(doc: Record<string, unknown>): boolean {
  const version = doc['schemaVersion'];
  return (
    isRecord(doc['pipelineInfo']) &&
    isRecord(doc['root']) &&
    typeof version === 'string' &&
    /^2\.\d+(\.\d+)?$/.test(version)
  );
}

export function isV1Component(doc: Record<string, unknown>): boolean {
  const implementation = doc['implementation'];
  return (
    isRecord(implementation) &&
    (isRecord(implementation['container']) || isRecord(implementation['graph'])) &&
    !('schemaVersion' in doc) &&
    !('root' in doc)
  );
}

/**
 * What KFP's compiler writes for a component compiled on its own: the pipeline
 * is named after the component, and its root DAG is that one executor task,
 * named the same, with the root's inputs passed through by name.
 */
export function isSingleComponent(doc: Record<string, unknown>): boolean {
  const root = doc['root'];
  const dag = isRecord(root) ? root['dag'] : undefined;
  if (!isRecord(dag) || !isRecord(dag['tasks'])) return false;
  const entries = Object.entries(dag['tasks']);
  const info = doc['pipelineInfo'];
  const [only] = entries;
  if (entries.length !== 1 || !only || !isRecord(info) || only[0] !== info['name']) return false;
  const task = only[1];
  if (!isRecord(task)) return false;
  const ref = task['componentRef'];
  const components = doc['components'];
  const name = isRecord(ref) ? ref['name'] : undefined;
  const component = typeof name === 'string' && isRecord(components) ? components[name] : undefined;
  if (!isRecord(component) || typeof component['executorLabel'] !== 'string') return false;
  const inputs = isRecord(task['inputs']) ? task['inputs'] : {};
  for (const [side, field] of [
    ['parameters', 'componentInputParameter'],
    ['artifacts', 'componentInputArtifact'],
  ] as const) {
    const bound = isRecord(inputs[side]) ? inputs[side] : {};
    for (const [input, spec] of Object.entries(bound)) {
      if (!isRecord(spec) || spec[field] !== input) return false;
    }
  }
  return true;
}
