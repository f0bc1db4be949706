/**
 * A KFP executor (`deploymentSpec.executors.<label>`) → a Kiln implementation.
 * KFP copies a component per task, so its container's env and resources are
 * really task settings: they are returned separately and set on the task,
 * which keeps identical components identical in Kiln.
 */
import type { Arg, Implementation, JsonValue, TaskSettings } from '@kiln/ir';
import { readBootstrap } from './bootstrap';
import type { KfpInterface } from './interface';
import { toArgs } from './placeholders';
import type { At } from './reader';
import { readResources } from './resources';
import { artifactTypeOf } from './types';

export interface ExecutorTranslation {
  implementation: Implementation;
  /** Settings every task running this executor gets (env, resources). */
  settings: TaskSettings;
}

export function translateExecutor(executor: At, iface: KfpInterface): ExecutorTranslation | undefined {
  executor.only({
    container: null,
    importer: null,
    resolver: 'dsl resolver nodes (ResolverSpec)',
    customJob: 'Vertex AI custom jobs (AIPlatformCustomJobSpec)',
  });
  if (!executor.child('container').missing) return container(executor.child('container'), iface);
  if (!executor.child('importer').missing) return importer(executor.child('importer'), iface);
  if (executor.missing) return executor.refuse('executors', 'the component names an executor that does not exist');
  return executor.refuse('executors', 'an executor without a container or importer');
}

/** Images KFP's backend never runs: it intercepts these tasks and does the work itself. */
const BACKEND_STUBS: Readonly<Record<string, string>> = {
  'argostub/createpvc': 'kubernetes.CreatePVC',
  'argostub/deletepvc': 'kubernetes.DeletePVC',
};

function container(at: At, iface: KfpInterface): ExecutorTranslation | undefined {
  const stub = BACKEND_STUBS[String(at.child('image').value)];
  if (stub) {
    return at
      .child('image')
      .refuse(
        stub,
        `a step KFP's backend performs itself (${String(at.child('image').value)}); Kiln does not manage PVCs`,
      );
  }
  at.only({
    image: null,
    command: null,
    args: null,
    env: null,
    resources: null,
    lifecycle: 'container lifecycle hooks (preCacheCheck)',
  });
  const image = at.child('image').string();
  const ctx = { inputs: iface.inputs, outputs: iface.outputs };
  const command = toArgs(at.child('command'), ctx);
  const args = toArgs(at.child('args'), ctx);
  const settings: TaskSettings = {};
  const env = readEnv(at.child('env'));
  if (env && Object.keys(env).length > 0) settings.env = env;
  const resources = readResources(at.child('resources'));
  if (resources && Object.keys(resources).length > 0) settings.resources = resources;
  if (!image) return at.child('image').refuse('containers', 'a container without an image');
  if (!command || !args) return undefined;
  if (command.length === 0) {
    return at
      .child('command')
      .refuse(
        "containers that run the image's entrypoint",
        'the container has no command; Kiln runs an explicit command (add the entrypoint to `command`)',
      );
  }
  const implementation: Implementation = { type: 'container', image, command };
  if (args.length > 0) implementation.args = args;
  if ([...command, ...args].some(usesExecutorProtocol)) {
    const bootstrap = readBootstrap(
      at
        .child('command')
        .items()
        .map((item) => item.value),
    );
    implementation.kfp = {
      inputs: iface.kfpInputs,
      outputs: iface.kfpOutputs,
      ...(bootstrap && { pythonBootstrap: bootstrap }),
    };
  }
  return { implementation, settings };
}

function usesExecutorProtocol(arg: Arg): boolean {
  if (typeof arg === 'string') return false;
  if (arg.kind === 'executorInput' || arg.kind === 'executorOutputFile') return true;
  if (arg.kind === 'concat') return arg.items.some(usesExecutorProtocol);
  if (arg.kind === 'ifPresent') return [...arg.then, ...(arg.else ?? [])].some(usesExecutorProtocol);
  return false;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function readEnv(list: At): Record<string, string> | undefined {
  const env: Record<string, string> = {};
  for (const item of list.items()) {
    item.only({ name: null, value: null });
    const name = item.child('name').string();
    const value = item.child('value').string() ?? '';
    if (!name || !ENV_NAME.test(name)) {
      item.child('name').report('task.set_env_variable', `"${name ?? ''}" is not an environment variable name`);
    } else if (value.includes('{{$')) {
      item
        .child('value')
        .report('environment variables from pipeline values', 'Kiln environment values are fixed strings');
    } else env[name] = value;
  }
  return env;
}

function importer(at: At, iface: KfpInterface): ExecutorTranslation | undefined {
  at.only({
    artifactUri: null,
    typeSchema: null,
    metadata: null,
    reimport: null,
    properties: 'importer properties (deprecated)',
    customProperties: 'importer custom properties (deprecated)',
    downloadToWorkspace: 'dsl.importer(download_to_workspace=True) (pipeline workspaces)',
  });
  const uriAt = at.child('artifactUri');
  uriAt.only({ constant: null, runtimeParameter: null, constantValue: null });
  const constant = uriAt.child('constant').string() ?? uriAt.child('constantValue').child('stringValue').string();
  const parameter = uriAt.child('runtimeParameter').string();
  let uri: Extract<Implementation, { type: 'importer' }>['uri'];
  if (constant !== undefined) uri = { kind: 'constant', value: constant };
  else if (parameter !== undefined) {
    const input = iface.inputs[parameter];
    if (input?.kind !== 'param' || input.type !== 'string') {
      return uriAt.refuse('dsl.importer', `the URI comes from "${parameter}", which is not a string input`);
    }
    uri = { kind: 'param', name: parameter };
  } else return uriAt.refuse('dsl.importer', 'an importer without an artifactUri');
  const title = at.child('typeSchema').child('schemaTitle').string();
  if (!title) return at.child('typeSchema').refuse('dsl.importer', 'an importer without an artifact type');
  const metadata = at.child('metadata').record();
  if (metadata && JSON.stringify(metadata).includes('{{$')) {
    return at
      .child('metadata')
      .refuse('dsl.importer metadata from pipeline values', 'Kiln importer metadata is fixed at compile time');
  }
  const implementation: Implementation = {
    type: 'importer',
    uri,
    artifactType: artifactTypeOf(title),
    reimport: at.child('reimport').boolean() === true,
  };
  if (metadata && Object.keys(metadata).length > 0) implementation.metadata = metadata as Record<string, JsonValue>;
  return { implementation, settings: {} };
}
