/**
 * The public translations: a KFP pipeline → a Kiln pipeline spec, a KFP
 * component (v2 YAML or v1 `component.yaml`) → a Kiln component.
 */
import { schemaVersionFor, validateSpec, type Component, type PipelineSpec } from '@kiln/ir';
import { componentFor, dagComponent } from './components';
import { translateV1Component } from './component-v1';
import { detectKfp, isSingleComponent } from './detect';
import { dedupeComponents } from './dedupe';
import { KfpTranslationError } from './errors';
import { toDnsLabel } from './names';
import { startTranslation, throwProblems, translatePipelineSource } from './pipeline';
import { At, isRecord, Problems } from './reader';
import { readTaskSettings } from './settings';
import { readKfpSource, type KfpInput, type KfpSource } from './source';

export interface TranslateOptions {
  /** The file name, for messages. */
  source?: string;
}

/**
 * Translates a KFP v2 pipeline (PipelineSpec YAML, with or without the
 * Kubernetes platform spec document) into a Kiln pipeline spec that passes
 * `validateSpec`. Throws a {@link KfpTranslationError} naming the YAML path and
 * KFP feature of everything it cannot map.
 *
 * @example
 * ```ts
 * const spec = translateKfpPipeline(readFileSync('pipeline.yaml', 'utf8'), { source: 'pipeline.yaml' });
 * spec.root.tasks['condition-branches-1']; // { type: 'condition', branches: [...] }
 * ```
 */
export function translateKfpPipeline(input: KfpInput, options: TranslateOptions = {}): PipelineSpec {
  const source = readKfpSource(input, options.source);
  const kind = detectKfp(source.documents);
  if (kind === 'component-v1') {
    throw notThis(source, 'a KFP v1 component.yaml, not a pipeline: load it as a component (translateKfpComponent)');
  }
  if (kind === undefined)
    throw notThis(source, 'not a KFP v2 PipelineSpec (no pipelineInfo / root / schemaVersion 2.x)');
  return translatePipelineSource(source);
}

/** A translated component and the components it uses (a pipeline loaded as a component needs its own). */
export interface KfpComponent {
  readonly component: Component;
  /** Components `component` uses by key (empty for a container or importer component). */
  readonly components: Readonly<Record<string, Component>>;
}

/**
 * Translates a KFP component: a v1 `component.yaml`, a component compiled to
 * v2 YAML (a PipelineSpec running one container), or a whole pipeline used as a
 * component (a Kiln `dag` component plus the components it uses).
 *
 * @example
 * ```ts
 * const { component } = translateKfpComponent(readFileSync('component.yaml', 'utf8'));
 * component.implementation.type; // 'container'
 * ```
 */
export function translateKfpComponent(input: KfpInput, options: TranslateOptions = {}): KfpComponent {
  const source = readKfpSource(input, options.source);
  const kind = detectKfp(source.documents);
  if (kind === 'component-v1') {
    const problems = new Problems(source);
    const component = translateV1Component(new At(source.documents[0], [], problems, 1));
    if (problems.list.length > 0 || !component) throw new KfpTranslationError(problems.list, source.name);
    return checked({ component, components: {} }, source);
  }
  if (kind === undefined) throw notThis(source, 'not a KFP component or PipelineSpec');
  if (kind === 'pipeline+platform') {
    throw notThis(
      source,
      'a pipeline with a Kubernetes platform spec: its settings belong to tasks, not to a component',
    );
  }
  const first = source.documents[0];
  return isRecord(first) && isSingleComponent(first) ? singleComponent(source) : graphComponent(source);
}

function singleComponent(source: KfpSource): KfpComponent {
  const t = startTranslation(source);
  const name = toDnsLabel(t.spec.child('pipelineInfo').child('name').string() ?? 'component', 'component');
  const [taskName, task] = t.spec.child('root').child('dag').child('tasks').entries()[0] as [string, At];
  const kfpKey = task.child('componentRef').child('name').string() ?? '';
  const key = componentFor(t, kfpKey, task.child('componentRef'));
  const defaults = t.taskDefaults.get(kfpKey) ?? {};
  if (Object.keys(defaults).length > 0) {
    t.spec
      .child('deploymentSpec')
      .report('env and resources in a component YAML', 'Kiln sets env and resources per task (.env(), .resources())');
  }
  const { caching: _caching, displayName: _displayName, ...settings } = readTaskSettings(task, taskName, false);
  if (Object.keys(settings).length > 0) {
    task.report(
      'task settings in a component YAML',
      `the task sets ${Object.keys(settings).join(', ')}, which a Kiln component cannot carry`,
    );
  }
  throwProblems(t);
  const component = key === undefined ? undefined : t.components[key];
  if (!component) throw new KfpTranslationError(t.problems.list, source.name);
  return checked({ component: { ...component, name }, components: {} }, source);
}

function graphComponent(source: KfpSource): KfpComponent {
  const t = startTranslation(source);
  const info = t.spec.child('pipelineInfo');
  const base = toDnsLabel(info.child('name').string() ?? 'pipeline');
  // The key must not be one the pipeline's own components take.
  const key = [...t.spec.child('components').entries()].some(([k]) => toDnsLabel(k.replace(/^comp-/, '')) === base)
    ? toDnsLabel(`${base}-pipeline`)
    : base;
  const component = dagComponent(t, key, t.spec.child('root'));
  throwProblems(t);
  if (!component || component.implementation.type !== 'dag')
    throw new KfpTranslationError(t.problems.list, source.name);
  const description = info.child('description').string();
  const components = dedupeComponents(t.components, [component.implementation.dag]);
  return checked({ component: { ...component, ...(description && { description }) }, components }, source);
}

/** Validates a component (and what it uses) the way a pipeline using it would. */
function checked(result: KfpComponent, source: KfpSource): KfpComponent {
  const host = toDnsLabel(`${result.component.name}-host`);
  const spec: PipelineSpec = {
    schemaVersion: schemaVersionFor({ ...result.components, [result.component.name]: result.component }),
    pipeline: { name: host },
    params: {},
    settings: {},
    components: { ...result.components, [result.component.name]: result.component },
    root: { tasks: {} },
    outputs: {},
  };
  const validation = validateSpec(spec);
  if (validation.ok) return result;
  throw new KfpTranslationError(
    validation.errors.map((e) => ({
      path: `(Kiln IR) ${e.path}`,
      feature: `Kiln IR validation: ${e.code}`,
      message: e.message,
      document: 1,
    })),
    source.name,
  );
}

function notThis(source: KfpSource, message: string): KfpTranslationError {
  return new KfpTranslationError([{ path: '$', feature: 'KFP document kind', message, document: 1 }], source.name);
}
