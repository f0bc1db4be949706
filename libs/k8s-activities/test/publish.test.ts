/**
 * The publish sidecar on a non-zero exit of main: it passes on the Python
 * shim's account of a failed package install, and nothing else the work folder
 * holds, since the user's code can write there too.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStore } from '@kiln/artifacts';
import { LaunchError, WorkLayout } from '@kiln/launcher';
import { publishOutputs, type PublishOutcome } from '../src/in-pod/publish';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync('/tmp/kiln-publish-test-');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Main exited 1, having left `note` (if any) where the shim writes its failure; what does the sidecar make of it? */
async function publishAfterFailedMain(note: string | undefined): Promise<PublishOutcome | LaunchError> {
  const workDir = join(dir, 'work');
  const layout = new WorkLayout(workDir);
  mkdirSync(workDir, { recursive: true });
  if (note !== undefined) writeFileSync(layout.shimFailureFile, note);
  const exitCodeFile = join(dir, 'exit-code');
  writeFileSync(exitCodeFile, '1\n');
  const store = openStore(pathToFileURL(join(dir, 'store')).href);
  return publishOutputs({
    store,
    requestKey: 'executions/k/pod-request.json',
    workDir,
    exitCodeFile,
    stop: new AbortController().signal,
  }).catch((error: unknown) => {
    if (error instanceof LaunchError) return error;
    throw error;
  });
}

test.each(['PipInstallFailed', 'VenvCreateFailed'])(
  "the shim's %s note makes the failure an infrastructure failure with main's exit code",
  async (reason) => {
    const outcome = await publishAfterFailedMain(
      JSON.stringify({ failureType: 'infrastructure', reason, message: 'pip install x failed with exit code 1' }),
    );
    expect(outcome).toBeInstanceOf(LaunchError);
    expect(outcome).toMatchObject({
      failureType: 'infrastructure',
      reason,
      message: 'pip install x failed with exit code 1',
      exitCode: 1,
    });
  },
);

test.each([
  ['a configuration failure', { failureType: 'configuration', reason: 'PipInstallFailed', message: 'm' }],
  [
    'an infrastructure failure with a reason the shim never writes',
    { failureType: 'infrastructure', reason: 'NodeLost', message: 'm' },
  ],
  ['a cancellation', { failureType: 'cancelled', reason: 'Cancelled', message: 'm' }],
  ['a PipInstallFailed without a message', { failureType: 'infrastructure', reason: 'PipInstallFailed' }],
])(
  "a note claiming %s (user code can write the file) is ignored: the exit code fails the step as the user's",
  async (_what, note) => {
    expect(await publishAfterFailedMain(JSON.stringify(note))).toEqual({
      published: false,
      why: 'non-zero-exit',
      exitCode: 1,
    });
  },
);

test("without a note, or with a half-written one, main's exit code is the failure", async () => {
  expect(await publishAfterFailedMain(undefined)).toEqual({ published: false, why: 'non-zero-exit', exitCode: 1 });
  expect(await publishAfterFailedMain('{"failureType": "infra')).toEqual({
    published: false,
    why: 'non-zero-exit',
    exitCode: 1,
  });
});
