/**
 * The IR's recursive schemas (JSON values, DAGs, nodes, conditions, command
 * arguments) under the names `ir.schema.json` gives them, in zod's global
 * registry: an OpenAPI document generated from the contract then points at one
 * component per recursive schema instead of leaving dangling references.
 * Imported for this effect by the modules that embed IR schemas.
 */
import { argSchema, dagSchema, exprSchema, itemTypeSpecSchema, jsonValueSchema, nodeSchema } from '@kiln/ir';
import { z } from 'zod';

const components: [z.ZodType, string, string?][] = [
  [jsonValueSchema, 'JsonValue', 'Any JSON value'],
  [itemTypeSpecSchema, 'ItemTypeSpec'],
  [exprSchema, 'Expr', 'A condition: a small expression tree, never code.'],
  [argSchema, 'Arg', 'A command-line element: a literal or a placeholder.'],
  [dagSchema, 'Dag', 'Nodes keyed by task id.'],
  [nodeSchema, 'Node', 'A task, or a group (condition, loop, exit handler) holding DAGs.'],
];

for (const [schema, id, description] of components) {
  // A second copy of this module (a test runner's fresh registry, a bundle) finds them registered already.
  if (!z.globalRegistry.has(schema)) z.globalRegistry.add(schema, { id, ...(description ? { description } : {}) });
}
