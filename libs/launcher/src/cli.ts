/**
 * The launcher as a program, so an executor can run a step in a child process
 * (a crashing step cannot take the worker down) or in a pod:
 *
 *   node --import tsx libs/launcher/src/cli.ts --request req.json --store file:///… \
 *        --work-dir /tmp/step --result result.json
 *
 * Progress goes to stdout as JSON lines (`LauncherEvent`), the outcome to the
 * result file (`LauncherOutcome`). Exit code 0 means "the outcome is in the
 * result file", whether the step succeeded or not. SIGTERM cancels the step.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openStore } from '@kiln/artifacts';
import { toLaunchFailure, type LauncherEvent, type LauncherOutcome } from './cli-protocol';
import { LaunchError } from './errors';
import type { LaunchRequest } from './request';
import { runStep } from './run-step';

function emit(event: LauncherEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      request: { type: 'string' },
      store: { type: 'string' },
      'work-dir': { type: 'string' },
      result: { type: 'string' },
      python: { type: 'string' },
    },
  });
  const { request: requestFile, store: storeUrl, 'work-dir': workDir, result } = values;
  if (!requestFile || !storeUrl || !workDir || !result) {
    process.stderr.write('usage: cli.ts --request <file> --store <url> --work-dir <dir> --result <file> [--python <exe>]\n');
    process.exit(2);
  }
  const controller = new AbortController();
  process.on('SIGTERM', () => controller.abort());
  process.on('SIGINT', () => controller.abort());

  let outcome: LauncherOutcome;
  try {
    const request = JSON.parse(await readFile(requestFile, 'utf8')) as LaunchRequest;
    const output = await runStep(request, {
      store: openStore(storeUrl),
      workDir,
      signal: controller.signal,
      python: values.python,
      onLog: (line, stream) => emit({ event: 'log', stream, line }),
      onSpawn: (pid) => emit({ event: 'spawned', pid }),
      onPhase: (phase) => emit({ event: 'phase', phase }),
    });
    outcome = { ok: true, output };
  } catch (error) {
    // runStep classifies its own failures; anything else is a request that could not be read.
    const failure =
      error instanceof LaunchError ? error : new LaunchError('configuration', 'InvalidRequest', (error as Error)?.message ?? String(error));
    outcome = { ok: false, failure: toLaunchFailure(failure) };
  }
  await writeFile(result, JSON.stringify(outcome));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`kiln launcher crashed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(70);
  },
);
