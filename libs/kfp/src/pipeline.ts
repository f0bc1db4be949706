/**
 * A whole KFP PipelineSpec (plus its Kubernetes platform spec) → a Kiln
 * pipeline spec that passes `validateSpec`, or a {@link KfpTranslationError}.
 */
import { schemaVersionFor, validateSpec, type ParamSpec, type PipelineSettings, type PipelineSpec } from '@kiln/ir';
import { dagOutputs } from './components';
import type { DagContext, Translation } from './context';
import { translateDag } from './dag';
import { dedupeComponents } from './dedupe';
import { KfpTranslationError } from './errors';
import { readInterface } from './interface';
import { isDnsLabel, toDnsLabel } from './names';
import { At, Problems } from './reader';
import type { KfpSource } from './source';

/** Top-level PipelineSpec fields. `defaultPipelineRoot` is read and has no effect (see the README). */
const SPEC_FIELDS = {
  pipelineInfo: null,
  deploymentSpec: null,
  sdkVersion: null,
  schemaVersion: null,
  components: null,
  root: null,
  defaultPipelineRoot: null,
} as const;

/** Starts a translation of `source`: the spec document and the platform document's Kubernetes part. */
export function startTranslation(source: KfpSource): Translation {
  const problems = new Problems(source);
  const spec = new At(source.documents[0], [], problems, 1);
  const platform = new At(source.documents[1], [], problems, 2);
  platform.only({ platforms: null });
  platform.child('platforms').only({ kubernetes: null });
  if (source.documents.length > 2) {
    new At(source.documents[2], [], problems, 3).report('YAML documents', 'a third document: KFP writes at most two');
  }
  return {
    problems,
    spec,
    kubernetes: platform.child('platforms').child('kubernetes'),
    components: {},
    componentKeys: new Map(),
    usedKeys: new Set(),
    taskDefaults: new Map(),
    inProgress: new Set(),
  };
}

/** Throws every problem collected so far, if any. */
export function throwProblems(t: Translation): void {
  if (t.problems.list.length > 0) throw new KfpTranslationError(t.problems.list, t.problems.source.name);
}

/** The translation of a PipelineSpec document set (see `translateKfpPipeline`). */
export function translatePipelineSource(source: KfpSource): PipelineSpec {
  const t = startTranslation(source);
  t.spec.only(SPEC_FIELDS);
  const root = t.spec.child('root');
  root.only({ inputDefinitions: null, outputDefinitions: null, dag: null });
  const params = pipelineParams(root);
  const ctx: DagContext = { t, dag: root.child('dag'), owner: { kind: 'pipeline' } };
  const dag = translateDag(ctx);
  const outputs = dagOutputs(ctx) ?? {};
  const settings = pipelineSettings(t.kubernetes.child('pipelineConfig'));
  throwProblems(t);
  const components = dedupeComponents(t.components, [dag]);
  const spec: PipelineSpec = {
    schemaVersion: schemaVersionFor(components),
    pipeline: pipelineInfo(t.spec.child('pipelineInfo')),
    params,
    settings,
    components,
    root: dag,
    outputs,
  };
  return checked(spec, source);
}

function pipelineParams(root: At): Record<string, ParamSpec> {
  const artifacts = root.child('inputDefinitions').child('artifacts');
  for (const [name, at] of artifacts.entries()) {
    at.report(
      'pipeline input artifacts',
      `"${name}": Kiln pipeline parameters are values; import the artifact in the pipeline (dsl.importer) instead`,
    );
  }
  const params: Record<string, ParamSpec> = {};
  const iface = readInterface(root);
  for (const [name, spec] of Object.entries(iface.inputs)) if (spec.kind === 'param') params[name] = spec;
  return params;
}

function pipelineInfo(at: At): PipelineSpec['pipeline'] {
  at.only({ name: null, displayName: null, description: null });
  const given = at.child('name').string() ?? 'pipeline';
  const name = isDnsLabel(given) ? given : toDnsLabel(given);
  const displayName = at.child('displayName').string() ?? (name === given ? undefined : given);
  const description = at.child('description').string();
  return { name, ...(displayName && { displayName }), ...(description && { description }) };
}

/** `dsl.PipelineConfig` (KFP ≥ 2.14), from the platform document. */
function pipelineSettings(at: At): PipelineSettings {
  at.only({
    activeDeadlineSeconds: null,
    resourceTtlOnCompletion: null,
    resourceTtlOnSuccess: 'dsl.PipelineConfig(ttl_seconds_after_success=...)',
    resourceTtlOnFailure: 'dsl.PipelineConfig(ttl_seconds_after_failure=...)',
    workspace: 'dsl.PipelineConfig(workspace=...) (pipeline workspaces)',
  });
  const settings: PipelineSettings = {};
  const deadline = at.child('activeDeadlineSeconds').number();
  if (deadline !== undefined && deadline > 0) settings.timeoutSeconds = deadline;
  const ttl = at.child('resourceTtlOnCompletion').number();
  if (ttl !== undefined && ttl > 0) settings.podTtlSeconds = ttl;
  return settings;
}

/**
 * The result must be valid IR. A KFP document the translator accepted but Kiln
 * rejects (a type Kiln checks more strictly, say) is reported with the IR path.
 */
function checked(spec: PipelineSpec, source: KfpSource): PipelineSpec {
  const result = validateSpec(spec);
  if (result.ok) return result.spec;
  throw new KfpTranslationError(
    result.errors.map((e) => ({
      path: `(Kiln IR) ${e.path}`,
      feature: `Kiln IR validation: ${e.code}`,
      message: e.message,
      document: 1,
    })),
    source.name,
  );
}
