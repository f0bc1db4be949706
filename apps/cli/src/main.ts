/** Entry point of the `kiln` CLI (see bin/kiln). */
import { CommanderError } from 'commander';
import { CliError } from './errors';
import { buildProgram } from './program';

async function main(argv: string[]): Promise<number> {
  const program = buildProgram({ stdout: (text) => process.stdout.write(text) });
  try {
    await program.parseAsync(argv);
    // Commands such as `run` report failure through process.exitCode.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      process.stderr.write(`kiln: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`kiln: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

void main(process.argv).then((code) => {
  process.exitCode = code;
});
