import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type ArtifactStore } from '@kiln/artifacts';
import type { Arg, Component, IoSpec } from '@kiln/ir';
import type { LaunchRequest } from '../src';

export interface Sandbox {
  dir: string;
  store: ArtifactStore;
  workDir(name?: string): string;
  cleanup(): Promise<void>;
}

export async function sandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-launcher-'));
  let n = 0;
  return {
    dir,
    store: openStore(`file://${dir}/store`),
    workDir: (name) => join(dir, 'work', name ?? `step-${++n}`),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export function container(
  command: Arg[],
  io: { inputs?: Record<string, IoSpec>; outputs?: Record<string, IoSpec>; args?: Arg[] } = {},
): Component {
  return {
    name: 'test-step',
    inputs: io.inputs ?? {},
    outputs: io.outputs ?? {},
    implementation: { type: 'container', image: 'alpine:3', command, ...(io.args && { args: io.args }) },
  };
}

export function python(
  source: string,
  io: { inputs?: Record<string, IoSpec>; outputs?: Record<string, IoSpec>; packages?: string[] } = {},
): Component {
  return {
    name: 'py-step',
    inputs: io.inputs ?? {},
    outputs: io.outputs ?? {},
    implementation: {
      type: 'python',
      image: 'python:3.11-slim',
      packages: io.packages ?? [],
      source,
      entrypoint: 'main',
    },
  };
}

let counter = 0;
export function request(component: Component, extra: Partial<LaunchRequest> = {}): LaunchRequest {
  return {
    executionKey: `test/run/${++counter}-${Date.now()}`,
    component,
    inputs: { params: {}, artifacts: {} },
    outputs: { params: {}, artifacts: {} },
    ...extra,
  };
}

export const param = (
  type: 'string' | 'int' | 'float' | 'bool' | 'list' | 'object',
  more: Partial<IoSpec> = {},
): IoSpec => ({ kind: 'param', type, ...more }) as IoSpec;
export const artifact = (
  type: 'artifact' | 'dataset' | 'model' | 'metrics' | 'classificationMetrics' = 'artifact',
  more: Partial<IoSpec> = {},
): IoSpec => ({ kind: 'artifact', type, ...more }) as IoSpec;

/** A command printing its argv as one JSON line to the given output-param file. */
export const ARGV_TO_FILE = ['python3', '-c', 'import json,sys; open(sys.argv[1],"w").write(json.dumps(sys.argv[2:]))'];
