/** `kiln validate <ir.json|ir.yaml>`: prints `ok <digest>` or every error with its JSON path. */
import { existsSync, readFileSync } from 'node:fs';
import { formatIrError, parseSpec } from '@kiln/ir';
import { specDigest } from '@kiln/ir/node';
import { CliError } from '../errors';

export function validateCommand(file: string): string {
  if (!existsSync(file)) throw new CliError(`file not found: ${file}`);
  const result = parseSpec(readFileSync(file, 'utf8'), { source: file });
  if (!result.ok) {
    throw new CliError(
      `${file} is not a valid pipeline (${result.errors.length} error${result.errors.length === 1 ? '' : 's'}):\n${result.errors.map((e) => `  ${formatIrError(e)}`).join('\n')}`,
    );
  }
  return `ok ${result.spec.pipeline.name} ${specDigest(result.spec)}\n`;
}
