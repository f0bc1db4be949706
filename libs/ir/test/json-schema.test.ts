import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IR_SCHEMA_ID, irJsonSchema, irJsonSchemaText } from '../src';

describe('ir.schema.json', () => {
  test('the committed file matches the zod schema (run `npx tsx libs/ir/scripts/generate-schema.ts` if not)', () => {
    const committed = readFileSync(join(__dirname, '..', 'ir.schema.json'), 'utf8');
    expect(committed).toBe(irJsonSchemaText());
  });

  test('has an $id, a title and readable $defs for the recursive parts', () => {
    const schema = irJsonSchema();
    expect(schema).toMatchObject({ $id: IR_SCHEMA_ID, title: 'Kiln pipeline IR' });
    expect(Object.keys(schema['$defs'] as object)).toEqual(
      expect.arrayContaining(['Node', 'Dag', 'Binding', 'Expr', 'Arg']),
    );
  });
});
