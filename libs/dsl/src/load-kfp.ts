/**
 * KFP YAML as a component source for `loadComponent`: a compiled component
 * (`kfp.compiler` on a `@dsl.component`), a v1 `component.yaml`, or a whole
 * KFP pipeline used as a sub-pipeline — translated by `@kiln/kfp`. A KFP file
 * that cannot be translated is a DslError listing each problem with its YAML
 * path and KFP feature.
 */
import { detectKfp, KfpTranslationError, translateKfpComponent, translateKfpPipeline } from '@kiln/kfp';
import type { PipelineSpec } from '@kiln/ir';
import type { ComponentImpl } from './component-impl';
import { DslError } from './errors';

/** What KFP YAML text stands for: a component, or a pipeline to use as a sub-pipeline. */
export type KfpSource = { component: ComponentImpl } | { pipeline: PipelineSpec };

/**
 * Translates KFP YAML text, or gives undefined when the text is not KFP YAML.
 *
 * @example
 * ```ts
 * const kfp = fromKfp(readFileSync('train.component.yaml', 'utf8'), 'loadComponent(train.component.yaml)');
 * if (kfp && 'component' in kfp) kfp.component.name; // 'train'
 * ```
 */
export function fromKfp(text: string, where: string): KfpSource | undefined {
  const kind = detectKfp(text);
  if (kind === undefined) return undefined;
  try {
    if (kind === 'component' || kind === 'component-v1') {
      const { component, components } = translateKfpComponent(text, { source: where });
      const impl: ComponentImpl = {
        name: component.name,
        inputs: component.inputs,
        outputs: component.outputs,
        ir: component,
        deps: { ...components },
        loose: true,
      };
      return { component: impl };
    }
    return { pipeline: translateKfpPipeline(text, { source: where }) };
  } catch (error) {
    if (error instanceof KfpTranslationError) throw new DslError(`${where}: ${error.message}`, { cause: error });
    throw error;
  }
}
