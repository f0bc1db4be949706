/**
 * Writes libs/ir/ir.schema.json from the zod definitions. Run after changing
 * libs/ir/src/schema.ts:  npx tsx libs/ir/scripts/generate-schema.ts
 * (a jest test fails while the committed file is stale).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { irJsonSchemaText } from '../src/json-schema';

const target = fileURLToPath(new URL('../ir.schema.json', import.meta.url));
writeFileSync(target, irJsonSchemaText());
console.log(`wrote ${target}`);
