/**
 * The published JSON Schema, generated from the zod definitions in schema.ts
 * (`libs/ir/scripts/generate-schema.ts` writes it to `libs/ir/ir.schema.json`).
 * Recursive pieces get readable `$defs` names instead of zod's `__schema0`.
 */
import { z } from 'zod';
import * as s from './schema';

/** Where the schema is published; also its `$id`. */
export const IR_SCHEMA_ID = `https://kiln.dev/schemas/ir/${s.IR_LATEST_SCHEMA_VERSION}/pipeline.schema.json`;

export function irJsonSchema(): Record<string, unknown> {
  const registry = z.registry<{ id?: string; description?: string }>();
  registry.add(s.jsonValueSchema, { id: 'JsonValue' });
  registry.add(s.bindingSchema, { id: 'Binding', description: 'Where an input value comes from.' });
  registry.add(s.exprSchema, { id: 'Expr', description: 'A condition: a small expression tree, never code.' });
  registry.add(s.argSchema, { id: 'Arg', description: 'A command-line element: a literal or a placeholder.' });
  registry.add(s.componentSchema, { id: 'Component' });
  registry.add(s.nodeSchema, {
    id: 'Node',
    description: 'A task, or a group (condition, loop, exit handler) holding DAGs.',
  });
  registry.add(s.dagSchema, { id: 'Dag', description: 'Nodes keyed by task id.' });
  registry.add(s.taskSettingsSchema, { id: 'TaskSettings' });
  const schema = z.toJSONSchema(s.pipelineSpecSchema, { metadata: registry, target: 'draft-2020-12' });
  return {
    $schema: schema.$schema,
    $id: IR_SCHEMA_ID,
    title: 'Kiln pipeline IR',
    description: `A compiled Kiln pipeline, IR schema version ${s.IR_LATEST_SCHEMA_VERSION}. See docs/ir.md.`,
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

/** The schema as committed: 2-space JSON with a trailing newline. */
export function irJsonSchemaText(): string {
  return `${JSON.stringify(irJsonSchema(), null, 2)}\n`;
}
