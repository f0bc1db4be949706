/**
 * The `kiln` command tree. Each command lives in its own module under
 * `commands/`; `run`, `dev`, `runs` and `schedules` come later.
 */
import { Command } from 'commander';
import { compileCommand } from './commands/compile';
import { runCommand } from './commands/run';
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
    .description('compile a pipeline module (.ts or .js) to canonical IR')
    .argument('<file>', 'a module exporting a pipeline')
    .option('-p, --pipeline <export>', 'the export (or pipeline name) to compile when the module has several')
    .option('-o, --output <file>', 'write here instead of stdout; .yaml/.yml writes YAML')
    .action(async (file: string, options: { pipeline?: string; output?: string }) => {
      io.stdout(await compileCommand(file, options));
    });

  program
    .command('validate')
    .description('validate an IR file (JSON or YAML); prints its digest')
    .argument('<file>', 'IR document')
    .action((file: string) => {
      io.stdout(validateCommand(file));
    });

  program
    .command('run')
    .description('run a pipeline (.ts module or IR file); embedded Temporal + local worker unless TEMPORAL_ADDRESS is set')
    .argument('<file>', 'a pipeline module (.ts/.js) or IR file (.json/.yaml)')
    .option('-p, --pipeline <name>', 'the export or pipeline name when the file has several')
    .option('--param <name=value...>', 'a pipeline parameter (repeatable); non-strings as JSON')
    .option('--executor <kind>', 'local or kubernetes', 'local')
    .option('--experiment <name>', 'record the run under this experiment')
    .option('--no-cache', 'do not serve steps from the cache')
    .option('--json', 'print the final run status document on stdout')
    .action(async (file: string, options: Parameters<typeof runCommand>[1]) => {
      const code = await runCommand(file, options, {
        stdout: io.stdout,
        stderr: io.stderr ?? ((text) => process.stderr.write(text)),
      });
      if (code !== 0) process.exitCode = code;
    });

  return program;
}
