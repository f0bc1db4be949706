/**
 * Components from IR files: one IR `component` object, or a whole pipeline
 * spec used as a sub-pipeline, as JSON or YAML text, a parsed object, or a
 * file path / `file:` URL; or from KFP YAML (a compiled component, a v1
 * `component.yaml`, a compiled pipeline), translated by `@kiln/kfp`. Types are checked when the task is created, not by
 * TypeScript: inputs take anything, outputs are {@link LooseRef}s.
 */
import {
  bindingType,
  type Component as IrComponent,
  componentSchema,
  type IoSpec,
  type PipelineSpec,
  validateSpec,
} from '@kiln/ir';
import { parse as parseYaml } from 'yaml';
import type { ComponentImpl } from './component-impl';
import { IMPL } from './component-impl';
import { DslError } from './errors';
import type { LooseRef } from './refs';
import { fromKfp } from './load-kfp';
import { readTextFile } from './read-file';
import { callComponent, type Task } from './task';

/** A component loaded from IR: inputs are checked at run time of the pipeline body. */
export interface LooseComponent {
  (inputs?: Record<string, unknown>): Task<Record<string, LooseRef>>;
  readonly componentName: string;
  readonly inputs: Readonly<Record<string, IoSpec>>;
  readonly outputs: Readonly<Record<string, IoSpec>>;
  /** @internal */
  readonly [IMPL]: ComponentImpl;
}

function looksLikePath(text: string): boolean {
  return !text.includes('\n') && /\.(json|ya?ml)$/i.test(text.trim());
}

/**
 * Loads a component from IR: a component object (`{ name, inputs, outputs,
 * implementation }`) or a whole pipeline spec (used as a sub-pipeline), as
 * JSON/YAML text, an already parsed object, or a path / `file:` URL to such a file.
 *
 * @example
 * ```ts
 * const trainer = loadComponent(new URL('./trainer.component.yaml', import.meta.url));
 * const t = trainer({ dataset: load.outputs.dataset, epochs: 3 });
 * evaluate({ model: t.outputs.model });   // checked when the task is created
 * ```
 */
export function loadComponent(source: string | URL | Record<string, unknown>): LooseComponent {
  let where = 'loadComponent()';
  let text: string | undefined;
  if (source instanceof URL || (typeof source === 'string' && looksLikePath(source))) {
    where = `loadComponent(${String(source)})`;
    text = readTextFile(source);
  } else if (typeof source === 'string') {
    text = source;
  }
  const kfp = text === undefined ? undefined : fromKfp(text, where);
  const impl = kfp
    ? 'component' in kfp
      ? kfp.component
      : fromSpec(kfp.pipeline, where)
    : fromIr(text === undefined ? source : parseText(text ?? '', where), where);
  const call = (inputs?: Record<string, unknown>): Task<Record<string, LooseRef>> => callComponent(impl, inputs);
  Object.defineProperties(call, {
    componentName: { value: impl.name, enumerable: true },
    inputs: { value: impl.inputs, enumerable: true },
    outputs: { value: impl.outputs, enumerable: true },
    [IMPL]: { value: impl },
  });
  return call as unknown as LooseComponent;
}

function fromIr(doc: unknown, where: string): ComponentImpl {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new DslError(`${where}: expected a component or pipeline spec object`);
  const obj = doc as Record<string, unknown>;
  return 'schemaVersion' in obj && 'root' in obj ? fromSpec(obj, where) : fromComponent(obj, where);
}

function parseText(text: string, where: string): unknown {
  try {
    return parseYaml(text);
  } catch (err) {
    throw new DslError(`${where}: not valid JSON or YAML: ${(err as Error).message}`, { cause: err });
  }
}

function fromComponent(obj: Record<string, unknown>, where: string): ComponentImpl {
  const parsed = componentSchema.safeParse(obj);
  if (!parsed.success) {
    throw new DslError(
      `${where}: not a valid IR component:\n${parsed.error.issues.map((i) => `  - $.${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const ir = parsed.data as IrComponent;
  if (ir.implementation.type === 'dag' && Object.keys(ir.implementation.dag.tasks).length > 0) {
    throw new DslError(
      `${where}: a 'dag' component needs the components it uses; load the whole pipeline spec instead`,
    );
  }
  return { name: ir.name, inputs: ir.inputs, outputs: ir.outputs, ir, loose: true };
}

function fromSpec(obj: Record<string, unknown>, where: string): ComponentImpl {
  const result = validateSpec(obj);
  if (!result.ok) {
    throw new DslError(
      `${where}: not a valid pipeline spec:\n${result.errors.map((e) => `  - ${e.path}: ${e.message}`).join('\n')}`,
    );
  }
  const spec: PipelineSpec = result.spec;
  const outputs: Record<string, IoSpec> = {};
  for (const [k, b] of Object.entries(spec.outputs)) {
    const t = bindingType(spec, b);
    if (t === undefined) throw new DslError(`${where}: output '${k}' does not resolve`);
    outputs[k] =
      t.kind === 'param'
        ? { kind: 'param', type: t.type === 'any' ? 'string' : t.type }
        : { kind: 'artifact', type: t.type, ...(t.list ? { list: true } : {}) };
  }
  const ir: IrComponent = {
    name: spec.pipeline.name,
    inputs: spec.params,
    outputs,
    implementation: { type: 'dag', dag: spec.root, outputs: spec.outputs },
  };
  if (spec.pipeline.description !== undefined) ir.description = spec.pipeline.description;
  return { name: ir.name, inputs: ir.inputs, outputs, ir, deps: spec.components, loose: true };
}
