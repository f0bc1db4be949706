import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { ensureInstalled, type Tool } from './install';
import { withLock } from './lock';
import type { PartContext } from './part';
import { nodeAgentMain, stateDir } from './paths';
import { isRunning, launch, ServerStartError, stop, type LaunchSpec, type ProcessRecord } from './processes';
import { progress } from './progress';
import { readState, writeState, type State } from './state';
import { testEnvironmentSchema, type PartName, type TestEnvironment } from './types';

type Starter<P extends PartName> = (ctx: PartContext) => Promise<NonNullable<TestEnvironment[P]>>;

/** Loaded lazily: the clients they import take seconds to load, which `status` and `down` need not pay. */
const starters: { [P in PartName]: () => Promise<Starter<P>> } = {
  temporal: async () => (await import('./temporal')).startTemporal,
  minio: async () => (await import('./minio')).startMinio,
  kubernetes: async () => (await import('./kubernetes')).startKubernetes,
};

const toolsOf: Record<PartName, Tool[]> = {
  temporal: ['temporal'],
  minio: ['minio'],
  kubernetes: ['etcd', 'kubeApiserver'],
};

/** One or more parts failed to start; the others are running and recorded. */
export class UpError extends Error {
  override readonly name = 'UpError';
  constructor(readonly failures: Partial<Record<PartName, Error>>) {
    super(
      Object.entries(failures)
        .map(([part, error]) => `${part}: ${error.message}`)
        .join('\n\n'),
    );
  }
}

/** The lock sits beside the state dir because `down` deletes the state dir itself. */
function lockDir(): string {
  return `${stateDir()}.lock`;
}

/**
 * Starts the requested parts (reusing those already running) and returns how to reach them.
 * Parts start concurrently: each is a separate server, and Temporal's and MinIO's startup
 * overlaps the API server's, which is the slowest.
 */
export async function up(parts: readonly PartName[]): Promise<TestEnvironment> {
  return withLock(lockDir(), 'another testenv up/down', async () => {
    const dir = stateDir();
    mkdirSync(dir, { recursive: true });
    const state = readState();
    const result: TestEnvironment = {};
    const toStart: PartName[] = [];
    for (const part of parts) {
      const processes = state.processes[part] ?? [];
      if (reuse(state, part, result)) {
        progress(`${part}: already running, reusing`);
        continue;
      }
      if (processes.length > 0) {
        progress(`${part}: found partly running or crashed; restarting`);
        await stopAll(processes);
      }
      forget(state, part);
      toStart.push(part);
    }
    if (toStart.length === 0) return inPartOrder(result);

    const binaries = await ensureInstalled([...new Set(toStart.flatMap((part) => toolsOf[part]))]);
    const failures: Partial<Record<PartName, Error>> = {};
    await Promise.all(
      toStart.map(async (part) => {
        const started = Date.now();
        for (let attempt = 1; ; attempt++) {
          const records: ProcessRecord[] = [];
          state.processes[part] = records;
          const ctx: PartContext = {
            dir,
            binaries,
            launch: (spec: LaunchSpec) => {
              const record = launch(spec);
              records.push(record);
              writeState(state);
              return record;
            },
          };
          try {
            await startPart(part, ctx, state, result);
            progress(`${part}: ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
            return;
          } catch (error) {
            await stopAll(records);
            forget(state, part);
            writeState(state);
            // A free port can be taken between our probe and the server's bind; new ports fix that.
            if (attempt < 3 && error instanceof ServerStartError && /address already in use/i.test(error.message)) {
              progress(`${part}: ${error.server} lost a port race; retrying with new ports`);
              continue;
            }
            failures[part] = error instanceof Error ? error : new Error(String(error));
            return;
          }
        }
      }),
    );
    if (Object.keys(failures).length > 0) throw new UpError(failures);
    return inPartOrder(result);
  });
}

async function startPart<P extends PartName>(part: P, ctx: PartContext, state: State, result: TestEnvironment) {
  const start = await starters[part]();
  const info = await start(ctx);
  state.env[part] = info;
  result[part] = info;
  writeState(state);
}

function reuse<P extends PartName>(state: State, part: P, result: TestEnvironment): boolean {
  const processes = state.processes[part] ?? [];
  const info = state.env[part];
  if (!info || processes.length === 0 || !processes.every(isRunning)) return false;
  // A cluster started before the node agent existed has no node; restart it to get one.
  if (part === 'kubernetes' && existsSync(nodeAgentMain()) && !processes.some((p) => p.name === 'node-agent')) {
    return false;
  }
  result[part] = info;
  return true;
}

/** Parts finish starting in any order; scripts diffing the JSON should not see it change. */
function inPartOrder(env: TestEnvironment): TestEnvironment {
  return testEnvironmentSchema.parse(env);
}

function forget(state: State, part: PartName): void {
  delete state.processes[part];
  delete state.env[part];
}

/** Reverse start order: the node agent and API server go before the etcd they depend on. */
async function stopAll(records: readonly ProcessRecord[]): Promise<void> {
  for (const record of [...records].reverse()) await stop(record);
}

/** Stops everything `up` started (by recorded pid and process group) and removes the state dir. */
export async function down(): Promise<void> {
  await withLock(lockDir(), 'another testenv up/down', async () => {
    const dir = stateDir();
    if (!existsSync(dir)) return;
    const state = readState();
    await Promise.all(
      Object.entries(state.processes).map(async ([part, records]) => {
        await stopAll(records ?? []);
        progress(`${part}: stopped`);
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  });
}

/** What is running now: parts whose every recorded process is still alive. */
export function status(): TestEnvironment {
  const state = readState();
  const result: TestEnvironment = {};
  for (const part of Object.keys(state.env) as PartName[]) reuse(state, part, result);
  return result;
}
