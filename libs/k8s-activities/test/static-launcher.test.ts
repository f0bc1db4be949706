/**
 * The static launcher (apps/static-launcher) against the real API server and node agent: a step
 * that moves no artifacts runs with it, and its outputs and failures are exactly what the Node
 * launcher gives for the same step (each case runs both ways and compares).
 */
import type { StepResult } from '@kiln/engine-contract';
import type { Arg, IoSpec, ParamType } from '@kiln/ir';
import { annotationKeys, containerNames, podIdentity } from '@kiln/kube';
import { executorOutputKey, podRequestKey, executionKey as executionKeyOf } from '@kiln/store-layout';
import { buildPod } from '../src/pod-spec';
import { staticLaunchPlan, staticPlanEnv } from '../src/static-launcher';
import { staticLauncherHostCommand, staticLauncherSourceDir } from '../src/in-pod/static-build';
import { launcherFailedFile, mainAliveFile } from '../src/in-pod/paths';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toLaunchRequest } from '@kiln/launcher';
import { locateStep } from '@kiln/store-layout';
import {
  cluster,
  component,
  deleteRunPods,
  eventually,
  failureOf,
  podsOfRun,
  runInActivity,
  stepRequest,
  type Cluster,
} from './support/cluster';

jest.setTimeout(120_000);

let c: Cluster;
const runs: string[] = [];

beforeAll(() => {
  c = cluster();
});
afterAll(async () => {
  await deleteRunPods(c, runs);
  await c.cleanup();
});

/** The deps of the two launchers: the static one for steps it can take (the default here), the Node one always. */
function depsFor(launcher: 'static' | 'node') {
  const deps = c.deps();
  if (launcher === 'static') return deps;
  const { staticLauncherCommand: _unused, ...pod } = deps.pod ?? {};
  return { ...deps, pod };
}

/** A container step writing output parameters with a shell `script` ($1, $2... are their paths, in `outputs` order). */
function paramStep(script: string, outputs: Record<string, ParamType>, more: { inputs?: Record<string, string> } = {}) {
  const inputArgs: Arg[] = Object.keys(more.inputs ?? {}).map((name) => ({ kind: 'inputPath', input: name }));
  const comp = component(
    [
      '/bin/sh',
      '-c',
      script,
      'step',
      ...Object.keys(outputs).map((name): Arg => ({ kind: 'outputPath', output: name })),
      ...inputArgs,
    ],
    {
      outputs: Object.fromEntries(
        Object.entries(outputs).map(([name, type]): [string, IoSpec] => [name, { kind: 'param', type }]),
      ),
      inputs: Object.fromEntries(
        Object.keys(more.inputs ?? {}).map((name): [string, IoSpec] => [name, { kind: 'param', type: 'string' }]),
      ),
    },
  );
  return stepRequest(comp, {
    inputs: { params: more.inputs ?? {}, artifacts: {} },
    outputs: { params: outputs, artifacts: {} },
  });
}

type Outcome =
  { ok: true; result: StepResult } | { ok: false; reason?: string; message?: string; failureClass?: string };

async function runWith(launcher: 'static' | 'node', make: () => ReturnType<typeof paramStep>): Promise<Outcome> {
  const req = make();
  runs.push(req.runId);
  const running = runInActivity(depsFor(launcher), req).result;
  try {
    return { ok: true, result: await running };
  } catch {
    const { failure, details } = await failureOf(running);
    return { ok: false, reason: details.reason, message: failure.message, failureClass: failure.type ?? undefined };
  }
}

/** Runs the step with both launchers (one after the other: 2 cores) and returns both outcomes. */
async function both(make: () => ReturnType<typeof paramStep>): Promise<{ stat: Outcome; node: Outcome }> {
  const stat = await runWith('static', make);
  const node = await runWith('node', make);
  return { stat, node };
}

test('a step without artifacts runs the static launcher: a plan in its env, no store credentials, no staged request', async () => {
  const req = paramStep('printf 7 > "$1"', { n: 'int' });
  runs.push(req.runId);
  const deps = { ...c.deps(), pod: { ...c.deps().pod, storeSecret: 'kiln-store' } };
  const result = await runInActivity(deps, req).result;
  expect(result.outputs.params).toEqual({ n: 7 });
  const key = executionKeyOf(req);
  // The worker wrote the record (the launcher cannot), and nothing was staged for a launcher to read.
  expect(JSON.parse(await c.store.readText(executorOutputKey(key)))).toMatchObject({ outputs: { params: { n: 7 } } });
  await expect(c.store.readText(podRequestKey(key))).rejects.toThrow();
  // The saved log reads as text: the report's frame is one line there.
  const log = await c.store.readText(c.store.keyOf(result.logUri ?? ''));
  expect(log).toContain('[kiln] outputs reported: 1 parameter(s)');
  expect(log).toContain('[kiln] (outputs reported to the worker)');
  expect(log).not.toContain('::kiln-result::');

  const pod = buildPod({
    request: req,
    identity: podIdentity(req),
    namespace: c.namespace,
    storeUrl: c.store.url,
    requestKey: podRequestKey(key),
    staticPlan: staticLaunchPlan(toLaunchRequest(locateStep(req))),
    defaults: { ...deps.pod, launcherImage: 'launcher' },
  });
  // A regular container beside main, started with it (no native sidecar for main to wait for).
  expect(pod.spec?.initContainers).toBeUndefined();
  expect(pod.spec?.containers.map((container) => container.name)).toEqual([containerNames.launcher, 'main']);
  const launcher = pod.spec?.containers[0];
  expect(launcher?.restartPolicy).toBeUndefined();
  expect(launcher?.envFrom).toBeUndefined();
  expect(launcher?.env?.map((e) => e.name)).toEqual([staticPlanEnv]);
  expect(pod.metadata?.annotations?.[annotationKeys.launcher]).toBe('static');
});

test('output parameters of every type come back as the Node launcher gives them', async () => {
  const outputs: Record<string, ParamType> = {
    s: 'string',
    crlf: 'string',
    i: 'int',
    f: 'float',
    b: 'bool',
    l: 'list',
    o: 'object',
    fromInput: 'string',
  };
  const script = [
    `printf 'yes\\n' > "$1"`,
    `printf 'line\\r\\n' > "$2"`,
    `printf ' -42 ' > "$3"`,
    `printf '1e3' > "$4"`,
    `printf 'TRUE' > "$5"`,
    `printf '[1, "two", null]' > "$6"`,
    `printf '{"a": {"b": [true]}}' > "$7"`,
    `cat "$9" > "$8"`,
  ].join(' && ');
  const { stat, node } = await both(() => paramStep(script, outputs, { inputs: { given: "it's $HOME; `no` shell" } }));
  expect(stat.ok && node.ok).toBe(true);
  if (!stat.ok || !node.ok) return;
  expect(stat.result.outputs.params).toEqual({
    s: 'yes',
    crlf: 'line',
    i: -42,
    f: 1000,
    b: true,
    l: [1, 'two', null],
    o: { a: { b: [true] } },
    fromInput: "it's $HOME; `no` shell",
  });
  expect(stat.result.outputs).toEqual(node.result.outputs);
});

test.each([
  ['a missing parameter', 'true', { n: 'int' as ParamType }, 'MissingOutputParam'],
  ['a mistyped int', `printf '4.5' > "$1"`, { n: 'int' as ParamType }, 'InvalidOutputParam'],
  ['a float that is not one', `printf 'Infinity' > "$1"`, { x: 'float' as ParamType }, 'InvalidOutputParam'],
  ['a list that is not JSON', `printf '[1,' > "$1"`, { xs: 'list' as ParamType }, 'InvalidOutputParam'],
  ['a link to a host file', `ln -s /etc/hostname "$1"`, { s: 'string' as ParamType }, 'OutputLinkOutsideFolder'],
  ['a directory', `mkdir "$1"`, { s: 'string' as ParamType }, 'MissingOutputParam'],
])('%s fails the step as the Node launcher fails it', async (_what, script, outputs, reason) => {
  const { stat, node } = await both(() => paramStep(script, outputs));
  expect(stat).toMatchObject({ ok: false, reason, failureClass: 'KilnUserError' });
  expect(stat).toEqual(node);
});

test('a non-zero exit fails the step with its exit code, as with the Node launcher', async () => {
  const { stat, node } = await both(() => paramStep('echo failing; exit 3', { n: 'int' }));
  expect(stat).toMatchObject({ ok: false, reason: 'NonZeroExit' });
  expect(stat).toEqual(node);
});

test('a main killed before it records an exit code fails the step, and the launcher beside it exits', async () => {
  // The wrapper (main's first process) is killed; the command it started lives on without the alive FIFO.
  const req = paramStep('kill -9 $PPID; sleep 2', { n: 'int' });
  runs.push(req.runId);
  const deps = { ...c.deps(), cleanup: { failedPodTtlSeconds: 600 } };
  const { details } = await failureOf(runInActivity(deps, req).result);
  expect(details).toMatchObject({ reason: 'NonZeroExit', exitCode: 137 });
  // The pod finishes: the launcher saw main leave and exited, rather than keeping the pod running.
  const pod = await eventually(async () => {
    const [found] = await podsOfRun(c, req.runId);
    return found?.status?.phase === 'Failed' ? found : undefined;
  });
  const launcher = pod.status?.containerStatuses?.find((s) => s.name === containerNames.launcher);
  expect(launcher?.state?.terminated?.exitCode).toBe(0);
  const log = await c.core.readNamespacedPodLog({
    namespace: c.namespace,
    name: pod.metadata?.name ?? '',
    container: containerNames.launcher,
  });
  expect(log).toContain('main container stopped without recording an exit code');
});

test('a launcher that cannot follow its plan fails the step with its own account, and main never runs the command', async () => {
  const req = paramStep('echo the command ran; printf 1 > "$1"', { n: 'int' });
  runs.push(req.runId);
  const deps = c.deps();
  // A launcher from another release: the plan it gets is not one it reads.
  const [binary] = staticLauncherHostCommand();
  const staleLauncher = ['/bin/sh', '-c', `KILN_POD_PLAN='{"version": 0}' exec ${binary} "$@"`, 'stale-launcher'];
  const { failure, details } = await failureOf(
    runInActivity({ ...deps, pod: { ...deps.pod, staticLauncherCommand: staleLauncher } }, req).result,
  );
  expect(details).toMatchObject({ reason: 'InvalidLaunchPlan', exitCode: 121 });
  expect(failure.type).toBe('KilnConfigurationError');
  expect(failure.message).toContain('different Kiln releases');
  const log = await c.store.readText(c.store.keyOf(details.logUri ?? ''));
  expect(log).not.toContain('the command ran');
});

test("the static launcher's own idea of the pod's paths (when its plan cannot be read) is the worker's", () => {
  const source = readFileSync(join(staticLauncherSourceDir(), 'main.go'), 'utf8');
  expect(source).toContain(`fallbackFailedFile = ${JSON.stringify(launcherFailedFile)}`);
  expect(source).toContain(`fallbackAliveFile  = ${JSON.stringify(mainAliveFile)}`);
});

test('steps the static launcher does not take get the Node launcher and a staged request', () => {
  const withArtifact = stepRequest(
    component(['/bin/true', { kind: 'outputPath', output: 'model' }], {
      outputs: { model: { kind: 'artifact', type: 'model' } },
    }),
    { artifactRoot: c.store.url, outputs: { params: {}, artifacts: { model: { type: 'model' } } } },
  );
  expect(staticLaunchPlan(toLaunchRequest(locateStep(withArtifact)))).toBeUndefined();
  const kfp = stepRequest({
    ...component(['/bin/true']),
    implementation: { type: 'container', image: 'alpine:3', command: ['/bin/true'], kfp: {} },
  } as never);
  expect(staticLaunchPlan(toLaunchRequest(locateStep(kfp)))).toBeUndefined();
  const huge = paramStep('cat "$1"', { n: 'int' }, { inputs: { big: 'x'.repeat(70 * 1024) } });
  expect(staticLaunchPlan(toLaunchRequest(locateStep(huge)))).toBeUndefined();
});
