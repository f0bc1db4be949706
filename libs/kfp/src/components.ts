/**
 * KFP components → Kiln components, each translated once. An executor-backed
 * component becomes a container or importer component; its executor's env and
 * resources, and its executor's Kubernetes platform config, become the task
 * defaults of every task that runs it. A DAG component that is not a control
 * flow group is a pipeline used as a component: a Kiln `dag` component.
 */
import type { Binding, Component } from '@kiln/ir';
import { dagOutput } from './bindings';
import type { DagContext, Translation } from './context';
import { translateDag } from './dag';
import { translateExecutor } from './executor';
import { readInterface } from './interface';
import { componentKey } from './names';
import { readPlatformSettings } from './platform';
import type { At } from './reader';
import { mergeSettings } from './settings';

const COMPONENT_FIELDS = {
  inputDefinitions: null,
  outputDefinitions: null,
  executorLabel: null,
  dag: null,
  singlePlatformSpecs: 'single platform specs (SinglePlatformSpec on a component)',
  taskConfigPassthroughs: 'dsl.TaskConfig passthroughs (task_config_passthroughs)',
} as const;

/** The Kiln key of KFP component `kfpKey`, translating it on first use (undefined: refused). */
export function componentFor(t: Translation, kfpKey: string, ref: At): string | undefined {
  if (t.inProgress.has(kfpKey)) {
    return ref.refuse('pipelines as components', `component "${kfpKey}" uses itself`);
  }
  if (t.componentKeys.has(kfpKey)) return t.componentKeys.get(kfpKey);
  const at = t.spec.child('components').child(kfpKey);
  const key = componentKey(kfpKey, t.usedKeys);
  // Reserved now, so components translated inside this one cannot take the same key.
  t.componentKeys.set(kfpKey, key);
  t.usedKeys.add(key);
  t.inProgress.add(kfpKey);
  const component = at.child('dag').missing ? executorComponent(t, kfpKey, key, at) : dagComponent(t, key, at);
  t.inProgress.delete(kfpKey);
  if (component) t.components[key] = component;
  t.componentKeys.set(kfpKey, component ? key : undefined);
  return component ? key : undefined;
}

function executorComponent(t: Translation, kfpKey: string, key: string, at: At): Component | undefined {
  at.only(COMPONENT_FIELDS);
  const iface = readInterface(at);
  const label = at.child('executorLabel').string();
  if (!label) return undefined;
  const executor = t.spec.child('deploymentSpec').child('executors').child(label);
  const translated = translateExecutor(executor, iface);
  const platform = t.kubernetes.child('deploymentSpec').child('executors').child(label);
  const platformSettings = platform.missing ? {} : readPlatformSettings(platform);
  if (!translated) return undefined;
  t.taskDefaults.set(kfpKey, mergeSettings(translated.settings, platformSettings));
  return { name: key, inputs: iface.inputs, outputs: iface.outputs, implementation: translated.implementation };
}

/** A pipeline used as a component (also the root, when a whole pipeline is loaded as a component). */
export function dagComponent(t: Translation, key: string, at: At): Component | undefined {
  at.only(COMPONENT_FIELDS);
  const iface = readInterface(at);
  const ctx: DagContext = { t, dag: at.child('dag'), owner: { kind: 'pipeline' } };
  const dag = translateDag(ctx);
  const outputs = dagOutputs(ctx);
  if (!outputs) return undefined;
  return { name: key, inputs: iface.inputs, outputs: iface.outputs, implementation: { type: 'dag', dag, outputs } };
}

/** A pipeline DAG's outputs (`dag.outputs`) as Kiln bindings. */
export function dagOutputs(ctx: DagContext): Record<string, Binding> | undefined {
  const outputs: Record<string, Binding> = {};
  let ok = true;
  const spec = ctx.dag.child('outputs');
  spec.only({ parameters: null, artifacts: null });
  for (const side of ['parameters', 'artifacts'] as const) {
    for (const [name, at] of spec.child(side).entries()) {
      const binding = dagOutput(ctx, at, side === 'artifacts', at);
      if (binding) outputs[name] = binding;
      else ok = false;
    }
  }
  return ok ? outputs : undefined;
}
