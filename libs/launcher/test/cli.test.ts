import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stepFailure } from '@kiln/engine-contract';
import { toStepFailure, type LaunchFailure, type LauncherOutcome } from '../src';
import { container, request, sandbox, type Sandbox } from './helpers';

// Two Node start-ups with tsx; slow on a loaded 2-core host.
jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'libs/launcher/src/cli.ts');

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

/** Runs the launcher CLI as the process-mode executor does and returns the outcome it wrote. */
async function runCli(requestFile: string, workDir: string): Promise<LauncherOutcome> {
  const resultFile = join(box.dir, 'result.json');
  await promisify(execFile)(
    process.execPath,
    [
      '--import',
      join(ROOT, 'node_modules/tsx/dist/loader.mjs'),
      CLI,
      '--request',
      requestFile,
      '--store',
      box.store.url,
      '--work-dir',
      workDir,
      '--result',
      resultFile,
    ],
    { cwd: ROOT, env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json') } },
  );
  return JSON.parse(await readFile(resultFile, 'utf8')) as LauncherOutcome;
}

describe('the launcher CLI classifies failures as the in-process launcher does', () => {
  test('a request file that is not JSON is a configuration failure', async () => {
    const requestFile = join(box.dir, 'request.json');
    await writeFile(requestFile, '{ not json');
    const outcome = await runCli(requestFile, box.workDir());
    expect(outcome).toMatchObject({ ok: false, failure: { failureType: 'configuration', reason: 'InvalidRequest' } });
    if (!outcome.ok) expect(outcome.failure.message).toContain(`cannot read the launch request ${requestFile}`);
  });

  test('a work folder that cannot be made is an infrastructure failure (retryable), not a bad request', async () => {
    const requestFile = join(box.dir, 'request.json');
    await writeFile(requestFile, JSON.stringify(request(container(['true']))));
    // Under a regular file: mkdir fails with ENOTDIR before runStep opens its log.
    const blocker = join(box.dir, 'not-a-folder');
    await writeFile(blocker, '');
    const outcome = await runCli(requestFile, join(blocker, 'work'));
    expect(outcome).toMatchObject({ ok: false, failure: { failureType: 'infrastructure', reason: 'LauncherError' } });
    if (!outcome.ok) expect(outcome.failure.message).toContain('ENOTDIR');
  });
});

describe('a launch failure as the engine sees it', () => {
  test.each<[LaunchFailure['failureType'], string, boolean]>([
    ['user', 'KilnUserError', false],
    ['infrastructure', 'KilnInfrastructureError', false],
    ['configuration', 'KilnConfigurationError', true],
    // A launcher that stopped although its activity was not cancelled (it crashed, or gave up) failed for the machinery.
    ['cancelled', 'KilnInfrastructureError', false],
  ])('%s becomes a %s (nonRetryable: %s) carrying reason, exit code and log', (failureType, type, nonRetryable) => {
    const launched: LaunchFailure = {
      failureType,
      reason: 'Why',
      message: 'what happened',
      exitCode: 3,
      logTail: 'last line',
      logUri: 'file:///tmp/log.txt',
    };
    const failure = stepFailure(toStepFailure(launched));
    expect(failure).toMatchObject({ type, nonRetryable, message: 'what happened' });
    expect(failure.details).toEqual([
      { reason: 'Why', exitCode: 3, logTail: 'last line', logUri: 'file:///tmp/log.txt' },
    ]);
  });
});
