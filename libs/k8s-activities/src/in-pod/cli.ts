/**
 * The launcher image's entry point inside a step pod:
 *
 *   kiln-pod-launcher launch  --store <url> --request-key <key> [--work-dir /kiln/work] [--exit-code-file /kiln/exit-code]
 *   kiln-pod-launcher publish --store <url> --request-key <key> [--work-dir /kiln/work] [--exit-code-file /kiln/exit-code]
 *   kiln-pod-launcher fetch   --store <url> --request-key <key> [--work-dir /kiln/work]
 *
 * `launch` is the default pod layout's only launcher process, a native
 * sidecar that main starts alongside: it prepares the work folder, writes the
 * ready file main's wrapper waits for (or the failed file, after recording why),
 * publishes once main has exited, then stays up until the pod stops it.
 *
 * In the two-process layout, `publish` runs as a native sidecar started first: it marks itself ready,
 * publishes once main has exited, then stays up until the pod stops it (a
 * sidecar that exits on its own is restarted). `fetch` runs as the init
 * container after it and exits 0 once the work folder is ready and the sidecar
 * is up, 1 on failure. Store credentials come from the environment (a Secret
 * mounted with envFrom), never from the command line.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadHeavyPath } from './heavy-path';
import { exitCodeFile, podWorkDir, publisherReadyFile, startedAtFile } from './paths';

// First thing, before the heavy modules load: the pod may stop the sidecar any moment after it started.
const stop = new AbortController();
process.on('SIGTERM', () => stop.abort());
process.on('SIGINT', () => stop.abort());

function say(line: string): void {
  process.stdout.write(`[kiln] ${line}\n`);
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      store: { type: 'string' },
      'request-key': { type: 'string' },
      'work-dir': { type: 'string', default: podWorkDir },
      'exit-code-file': { type: 'string', default: exitCodeFile },
      'started-at-file': { type: 'string', default: startedAtFile },
    },
  });
  const phase = positionals[0];
  const storeUrl = values.store;
  const requestKey = values['request-key'];
  if ((phase !== 'launch' && phase !== 'fetch' && phase !== 'publish') || !storeUrl || !requestKey) {
    process.stderr.write(
      'usage: kiln-pod-launcher launch|fetch|publish --store <url> --request-key <key> [--work-dir <dir>] [--exit-code-file <file>]\n',
    );
    return 2;
  }
  if (phase === 'publish') await writeFile(publisherReadyFile, 'ready\n');
  // The eager bundle (bundle.ts, `light: false`) loads the heavy half first, as the one-bundle launcher did.
  if (process.env.KILN_POD_LAUNCHER_EAGER === '1') await loadHeavyPath();

  const { runPhase } = await import('./run-phase');
  const code = await runPhase({
    phase,
    storeUrl,
    requestKey,
    workDir: values['work-dir'],
    exitCodeFile: values['exit-code-file'],
    startedAtFile: values['started-at-file'],
    stop: stop.signal,
    say,
  });
  if (phase !== 'fetch' && !stop.signal.aborted) {
    // Signal listeners do not keep Node alive; this timer does until SIGTERM arrives.
    const keepAlive = setInterval(() => undefined, 60_000);
    await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
    clearInterval(keepAlive);
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`kiln pod launcher crashed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(70);
  },
);
