import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { PlansConfig } from '../functions/core/plans/schema.js';

/**
 * `npm run plans-schema`: writes docs/plans.schema.json, the JSON Schema of the plans file, from the
 * zod schema the synth and the handlers parse it with. Checked in so editors can point at it (a
 * plans file's `"$schema": "../docs/plans.schema.json"`) and other tools can validate against it;
 * test/unit/plans/jsonSchema.test.ts fails when it is out of date.
 *
 * The JSON Schema holds the file's shape: fields, types, ranges, patterns, which fields are
 * required. Rules across fields (source = target, cron expressions, time zones, a collections plan
 * naming something to restore) are zod's alone: `npx cdk synth` and `run --plan --dry-run` check them.
 */

export const PLANS_SCHEMA_FILE = fileURLToPath(new URL('../docs/plans.schema.json', import.meta.url));

export function plansJsonSchema(): Record<string, unknown> {
  // The input side: what a person writes, so a field with a default is optional.
  const { $schema, ...schema } = z.toJSONSchema(PlansConfig, { io: 'input', target: 'draft-2020-12' });
  return {
    $schema,
    title: 'Atlas Restore Orchestrator plans file',
    description: 'The plans file (config/plans.json by default): restore plans, protected targets, the ad-hoc policy and push completion. docs/plans.md describes every field.',
    ...schema,
  };
}

/** The file's exact text: two-space JSON and a final newline. */
export function plansSchemaText(): string {
  return `${JSON.stringify(plansJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(PLANS_SCHEMA_FILE, plansSchemaText());
  console.log(`Wrote ${PLANS_SCHEMA_FILE}`);
}
