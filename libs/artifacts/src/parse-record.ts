/** Records read back from the store are parsed, never cast: the one place `readJson` of every backend goes through. */
import { jsonPath, type PathSegment } from '@kiln/ir/light';
import type { z } from 'zod';
import { StoreRecordError } from './errors';

/**
 * Parses the text of the record at `key` as JSON of `schema`'s shape.
 *
 * @throws StoreRecordError naming the key and every problem (with its JSON path).
 * @example
 * ```ts
 * parseRecord('runs/p/r/origin.json', '{"startedBy":1}', runOriginSchema);
 * // StoreRecordError: the store record runs/p/r/origin.json is not valid: $.startedBy: Invalid input: expected string, received number; ...
 * ```
 */
export function parseRecord<S extends z.ZodType>(key: string, text: string, schema: S): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StoreRecordError(key, [{ path: '$', message: `not JSON (${(error as Error).message})` }], {
      cause: error,
    });
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new StoreRecordError(
    key,
    parsed.error.issues.map((issue) => ({
      path: jsonPath(
        issue.path.map((segment): PathSegment => (typeof segment === 'number' ? segment : String(segment))),
      ),
      message: issue.message,
    })),
    { cause: parsed.error },
  );
}
