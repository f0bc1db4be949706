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
import { asLaunchError, configurationError } from './errors';
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
      'log-cap-bytes': { type: 'string' },
    },
  });
  const { request: requestFile, store: storeUrl, 'work-dir': workDir, result } = values;
  if (!requestFile || !storeUrl || !workDir || !result) {
    process.stderr.write(
      'usage: cli.ts --request <file> --store <url> --work-dir <dir> --result <file> [--python <exe>] [--log-cap-bytes <n>]\n',
    );
    process.exit(2);
  }
  const controller = new AbortController();
  process.on('SIGTERM', () => controller.abort());
  process.on('SIGINT', () => controller.abort());

  let outcome: LauncherOutcome;
  try {
    const request = await readRequest(requestFile);
    const output = await runStep(request, {
      store: openStore(storeUrl),
      workDir,
      signal: controller.signal,
      python: values.python,
      ...(values['log-cap-bytes'] !== undefined && { logCapBytes: Number(values['log-cap-bytes']) }),
      onLog: (line, stream) => emit({ event: 'log', stream, line }),
      onSpawn: (pid) => emit({ event: 'spawned', pid }),
      onPhase: (phase) => emit({ event: 'phase', phase }),
    });
    outcome = { ok: true, output };
  } catch (error) {
    // Classified as the in-process launcher does (step-in-process.ts): what escapes runStep unclassified
    // (a work folder that cannot be made) is infrastructure; only the request file itself is configuration.
    outcome = { ok: false, failure: toLaunchFailure(asLaunchError(error)) };
  }
  await writeFile(result, JSON.stringify(outcome));
}

/** The request file, parsed; one that cannot be read or is not JSON is a configuration failure. */
async function readRequest(file: string): Promise<LaunchRequest> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LaunchRequest;
  } catch (error) {
    throw configurationError(`cannot read the launch request ${file}: ${(error as Error)?.message ?? String(error)}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`kiln launcher crashed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(70);
  },
);
