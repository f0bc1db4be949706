import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { stateDir } from './paths';
import { processRecordSchema } from './processes';
import { testEnvironmentSchema } from './types';

const stateSchema = z.object({
  /**
   * Processes per part, recorded as soon as they are spawned (before they are ready), so that
   * `down` can stop them even if `up` died half-way.
   */
  processes: z.object({
    temporal: z.array(processRecordSchema).optional(),
    minio: z.array(processRecordSchema).optional(),
    kubernetes: z.array(processRecordSchema).optional(),
  }),
  /** Only parts that became ready. */
  env: testEnvironmentSchema,
});

export type State = z.infer<typeof stateSchema>;

function stateFile(): string {
  return join(stateDir(), 'state.json');
}

export function readState(): State {
  if (!existsSync(stateFile())) return { processes: {}, env: {} };
  return stateSchema.parse(JSON.parse(readFileSync(stateFile(), 'utf8')));
}

/** Written via rename so a reader never sees half a file. */
export function writeState(state: State): void {
  mkdirSync(stateDir(), { recursive: true });
  const temp = `${stateFile()}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temp, stateFile());
}
