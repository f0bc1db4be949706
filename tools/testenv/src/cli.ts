import { Command } from 'commander';
import { down, status, up } from './testenv';
import { partNames, type PartName } from './types';

// Client libraries (the minio client's retry notices, for one) may log with console.log; stdout
// must stay a single JSON document, so route it to stderr.
console.log = console.error;

function parseParts(args: string[]): PartName[] {
  if (args.length === 0) return [...partNames];
  const unknown = args.filter((arg) => !(partNames as readonly string[]).includes(arg));
  if (unknown.length > 0) throw new Error(`Unknown part(s): ${unknown.join(', ')}. Known: ${partNames.join(', ')}`);
  return partNames.filter((part) => args.includes(part));
}

const program = new Command('testenv')
  .description('Real Temporal, MinIO and Kubernetes API servers on 127.0.0.1 for Kiln tests.')
  .showHelpAfterError();

program
  .command('up')
  .description('install what is missing, start the parts (default: all) and print how to reach them as JSON')
  .argument('[parts...]', `any of ${partNames.join(', ')}`)
  .action(async (args: string[]) => {
    process.stdout.write(`${JSON.stringify(await up(parseParts(args)))}\n`);
  });

program
  .command('down')
  .description('stop everything up started and delete the state dir')
  .action(() => down());

program
  .command('status')
  .description('print the JSON of the parts that are running, or {}')
  .action(() => {
    process.stdout.write(`${JSON.stringify(status())}\n`);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`[testenv] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
