/**
 * The `kiln` command tree. Each command lives in its own module under
 * `commands/`: `compile`, `validate` and `run` work on files; `dev` starts a
 * local Kiln; `runs`, `schedules` and `pipelines` talk to the Kiln API.
 */
import { Command } from 'commander';
import type { devCommand } from './commands/dev';
import type { runCommand } from './commands/run';
import { compileCommand } from './commands/compile';
import { registerPipelinesCommands } from './commands/pipelines';
import { registerRunsCommands } from './commands/runs';
import { registerSchedulesCommands } from './commands/schedules';
import { validateCommand } from './commands/validate';

export interface Io {
  stdout: (text: string) => void;
  stderr?: (text: string) => void;
}

export function buildProgram(io: Io): Command {
  const program = new Command('kiln')
    .description('Kiln: machine-learning pipelines as durable Temporal workflows')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('compile')
    .description('compile a pipeline module (.ts or .js), or translate KFP pipeline YAML, to canonical IR')
    .argument('<file>', 'a module exporting a pipeline')
    .option('-p, --pipeline <export>', 'the export (or pipeline name) to compile when the module has several')
    .option('-o, --output <file>', 'write here instead of stdout; .yaml/.yml writes YAML')
    .action(async (file: string, options: { pipeline?: string; output?: string }) => {
      io.stdout(await compileCommand(file, options));
    });

  program
    .command('validate')
    .description(
      'validate an IR file (JSON or YAML) or KFP pipeline YAML; prints its digest (and the translated IR of KFP YAML)',
    )
    .argument('<file>', 'IR document')
    .action((file: string) => {
      io.stdout(validateCommand(file));
    });

  program
    .command('run')
    .description(
      'run a pipeline (.ts module or IR file); embedded Temporal + local worker unless Temporal is configured (TEMPORAL_ADDRESS or KILN_TEMPORAL_ADDRESS)',
    )
    .argument('<file>', 'a pipeline module (.ts/.js) or IR file (.json/.yaml)')
    .option('-p, --pipeline <name>', 'the export or pipeline name when the file has several')
    .option('--param <name=value...>', 'a pipeline parameter (repeatable); non-strings as JSON')
    .option('--executor <kind>', "local or kubernetes (default: the pipeline's executor setting, else local)")
    .option('--experiment <name>', 'record the run under this experiment')
    .option('--no-cache', 'do not serve steps from the cache')
    .option('--json', 'print the final run status document on stdout')
    .option('--verbose', "the embedded worker's Temporal SDK logs on stderr instead of in a log file")
    .action(async (file: string, options: Parameters<typeof runCommand>[1]) => {
      // Loaded on use: the worker and Temporal's native modules are slow to import for the other commands.
      const { runCommand } = await import('./commands/run');
      const code = await runCommand(file, options, {
        stdout: io.stdout,
        stderr: io.stderr ?? ((text) => process.stderr.write(text)),
      });
      if (code !== 0) process.exitCode = code;
    });

  program
    .command('dev')
    .description(
      'a local Kiln until Ctrl-C: embedded Temporal dev server + UI, a worker (local executor), the API and the Kiln web UI; prints URLs and a token',
    )
    .option('--api-port <port>', 'port of the Kiln API (0 picks a free one)', '8080')
    .option('--token <token>', 'use this API token instead of a generated one')
    .option(
      '--operator-token [token]',
      'also an operator token (runs and schedules, no uploads), to try the web UI as an operator: this one, or a generated one without a value',
    )
    .option(
      '--viewer-token [token]',
      'also a viewer token (reads only: the web UI shows no run actions), this one or a generated one without a value',
    )
    .option('--task-queue <name>', 'task queue of the worker and the API (env KILN_TASK_QUEUE; default kiln)')
    .option('--json', 'print the addresses and token as one JSON line on stdout once ready')
    .option('--verbose', 'show the worker and API logs')
    .option(
      '--executor <kind>',
      "local (default), or kubernetes: steps as pods on tools/testenv's test servers (KILN_TESTENV's, else started), with the store Secret and a Kubernetes worker",
    )
    .option('--no-ui', 'do not build and serve the web UI (apps/ui) under /ui/')
    .action(async (options: Parameters<typeof devCommand>[0]) => {
      const { devCommand } = await import('./commands/dev');
      const code = await devCommand(options, {
        stdout: io.stdout,
        stderr: io.stderr ?? ((text) => process.stderr.write(text)),
      });
      if (code !== 0) process.exitCode = code;
    });

  registerRunsCommands(program, io);
  registerSchedulesCommands(program, io);
  registerPipelinesCommands(program, io);

  return program;
}
