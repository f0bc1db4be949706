/**
 * Test support shared by the example projects and the apps' tests: {@link startRealEngine} runs
 * pipelines on the real engine (the shared Temporal dev server of tools/testenv, an in-process Kiln
 * worker with the real local executor, a file:// artifact store in a temp folder) and records what
 * each step attempt saw and printed; {@link startTestWorker} runs a Kiln worker with the real
 * executors for tests that bring their own store and task queue (the API, the client, the CLI), so
 * their projects import no executor library. For tests only; it is tagged `layer:tool` because it
 * reaches tools/testenv. Chromium for browser tests and benchmarks is a separate entry point,
 * `@kiln/testing/chromium`, so loading it does not load the engine.
 *
 * @example
 * ```ts
 * import { startRealEngine, type RealEngine } from '@kiln/testing';
 *
 * let engine: RealEngine;
 * beforeAll(async () => (engine = await startRealEngine()));
 * afterAll(() => engine.close());
 *
 * test('runs', async () => {
 *   const run = await engine.run(compile(myPipeline), { rows: 10 });
 *   expect(run.doc.state).toBe('SUCCEEDED');
 *   expect(run.log('train')).toContain('epoch 1');
 * });
 * ```
 *
 * @packageDocumentation
 */
export { startRealEngine, type RealEngine, type RealEngineOptions, type RealRun, type StepCall } from './real-engine';
export {
  kubernetesWorkerEnv,
  startKiln,
  startWorkerProcess,
  stopGroup,
  testClusterLauncherCommand,
  testClusterStaticLauncherCommand,
  workspaceRoot,
  type CliRun,
  type KubernetesWorkerSetup,
  type WorkerProcess,
} from './processes';
export { eventually } from './eventually';
export { installTestRuntime } from './runtime';
export { startTestWorker, type TestWorker, type TestWorkerOptions } from './test-worker';
