/**
 * The in-pod launcher's light start: the bundle that starts in every pod carries neither the
 * `minio` client nor the IR's pipeline schema, and a step without artifacts never loads the heavy
 * half (the bundle that does), while a step with an input artifact does, before it fetches. Runs
 * the launcher's `fetch` phase from its code-cached bundles, as the launcher image does, on a
 * file:// store, and records which launcher files the process reads.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStore, parseRecord, type ArtifactStore } from '@kiln/artifacts';
import { launcherFailureKey, launcherFailureSchema, launchRequestSchema, podRequestKey } from '@kiln/store-layout';
import { podLauncherBundleCommand } from '../src';

jest.setTimeout(120_000);

const loader = podLauncherBundleCommand()[1] as string;
const lightBundle = loader.replace(/\.loader\.cjs$/, '.cjs');
const lightText = readFileSync(lightBundle, 'utf8');
const heavyLoaderName = /kiln-pod-launcher-heavy-[0-9a-f]+\.loader\.cjs/.exec(lightText)?.[0];
const heavyLoader = join(dirname(loader), heavyLoaderName ?? 'missing-heavy-loader');
const heavyBundle = heavyLoader.replace(/\.loader\.cjs$/, '.cjs');

let dir: string;
let store: ArtifactStore;
let preload: string;
let readLog: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-light-launcher-'));
  store = openStore(pathToFileURL(join(dir, 'store')).href);
  readLog = join(dir, 'reads.log');
  preload = join(dir, 'record-reads.cjs');
  // Every launcher file the process reads (bundles, caches, loaders: `require` reads through readFileSync too).
  writeFileSync(
    preload,
    `const fs = require('node:fs');
const readFileSync = fs.readFileSync;
fs.readFileSync = function (path, ...rest) {
  if (typeof path === 'string' && path.includes('kiln-pod-launcher')) fs.appendFileSync(${JSON.stringify(readLog)}, path + '\\n');
  return readFileSync.call(this, path, ...rest);
};
`,
  );
  appendFileSync(readLog, '');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function request(executionKey: string, withInput: boolean): Record<string, unknown> {
  return {
    executionKey,
    component: {
      name: 'step',
      inputs: withInput ? { data: { kind: 'artifact', type: 'dataset' } } : {},
      outputs: {},
      implementation: {
        type: 'container',
        image: 'alpine:3.20',
        command: withInput ? ['cat', { kind: 'inputPath', input: 'data' }] : ['/bin/true'],
      },
    },
    inputs: {
      params: {},
      artifacts: withInput ? { data: { uri: store.uriFor('data/in.txt'), type: 'dataset', metadata: {} } } : {},
    },
    outputs: { params: {}, artifacts: {} },
  };
}

/**
 * Runs the fetch phase until its work folder is ready (then stops it: it would wait for a publish
 * sidecar) or it exits; returns its output and the launcher files it read.
 */
async function fetchPhase(executionKey: string): Promise<{ stdout: string; code: number | null; read: string[] }> {
  const args = ['-r', preload, loader, 'fetch', '--store', store.url, '--request-key', podRequestKey(executionKey)];
  const child = spawn(
    process.execPath,
    [...args, '--work-dir', join(dir, 'work'), '--started-at-file', join(dir, 'at')],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let stdout = '';
  const code = await new Promise<number | null>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('work folder ready')) child.kill('SIGKILL');
    });
    child.on('exit', (exitCode) => resolve(exitCode));
  });
  return { stdout, code, read: readFileSync(readLog, 'utf8').split('\n').filter(Boolean) };
}

test('the light bundle carries neither minio nor the IR pipeline schema; the heavy bundle does', () => {
  expect(heavyLoaderName).toBeDefined();
  expect(lightText).not.toMatch(/node_modules\/minio\//);
  expect(lightText).not.toMatch(/libs\/ir\/src\/schema\.ts/);
  expect(lightText).toMatch(/libs\/ir\/src\/component-schema\.ts/);
  expect(lightText).toMatch(/node_modules\/aws4\//);
  const heavyText = readFileSync(heavyBundle, 'utf8');
  expect(heavyText).toMatch(/node_modules\/minio\//);
  expect(heavyText).toMatch(/libs\/ir\/src\/schema\.ts/);
  // Both caches were warmed when the launcher was built.
  expect(existsSync(`${lightBundle}.v8cache`)).toBe(true);
  expect(existsSync(`${heavyBundle}.v8cache`)).toBe(true);
});

test('a step without artifacts gets its work folder ready without loading the heavy half', async () => {
  await store.writeJson(podRequestKey('light.none.1'), request('light.none.1', false));
  const { stdout, read } = await fetchPhase('light.none.1');
  expect(stdout).toContain('work folder ready: 0 input artifact(s)');
  expect(read).toContain(lightBundle);
  expect(read).not.toContain(heavyLoader);
  expect(read).not.toContain(heavyBundle);
});

test('a step with an input artifact loads the heavy half to fetch it', async () => {
  await store.put('data/in.txt', 'hello\n');
  await store.writeJson(podRequestKey('light.input.1'), request('light.input.1', true));
  const { stdout, read } = await fetchPhase('light.input.1');
  expect(stdout).toContain('work folder ready: 1 input artifact(s)');
  expect(read).toContain(heavyLoader);
  expect(readFileSync(join(dir, 'work', 'inputs', 'data', 'in.txt'), 'utf8')).toBe('hello\n');
});

test('a request the light schema refuses gets the full schema’s answer, in the failure note', async () => {
  const bad = request('light.bad.1', false);
  (bad['component'] as { implementation: Record<string, unknown> }).implementation = {
    type: 'container',
    command: [],
  };
  await store.writeJson(podRequestKey('light.bad.1'), bad);
  const { code, read } = await fetchPhase('light.bad.1');
  expect(code).toBe(1);
  expect(read).toContain(heavyLoader);
  const note = await store.readJson(launcherFailureKey('light.bad.1'), launcherFailureSchema);
  const text = await store.readText(podRequestKey('light.bad.1'));
  let expected = '';
  try {
    parseRecord(podRequestKey('light.bad.1'), text, launchRequestSchema);
  } catch (error) {
    expected = (error as Error).message;
  }
  expect(expected).toMatch(/is not valid/);
  expect(note).toEqual({ failureType: 'infrastructure', reason: 'StoreRecordError', message: expected });
});
