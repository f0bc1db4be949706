/**
 * `kiln validate <ir.json|ir.yaml|pipeline.yaml>`: prints `ok <name> <digest>` or every error with its
 * JSON path. KFP pipeline YAML is translated first (errors name YAML paths and KFP features) and the
 * translated IR is printed after the ok line.
 */
import { existsSync } from 'node:fs';
import { canonicalize } from '@kiln/ir';
import { specDigest } from '@kiln/ir/node';
import { CliError } from '../errors';
import { readPipelineFile } from '../run/pipeline-file';

export function validateCommand(file: string): string {
  if (!existsSync(file)) throw new CliError(`file not found: ${file}`);
  const { spec, format } = readPipelineFile(file);
  const ok = `ok ${spec.pipeline.name} ${specDigest(spec)}\n`;
  return format === 'kfp' ? `${ok}${canonicalize(spec)}\n` : ok;
}
