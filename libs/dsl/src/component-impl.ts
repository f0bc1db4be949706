/**
 * What every kind of component (container, python, importer, sub-pipeline,
 * loaded from IR) looks like inside the DSL. Not exported from the package.
 */
import type { Component as IrComponent, IoSpec, PipelineSettings } from '@kiln/ir';
import type { PipelineCtx, Source } from './graph';

export interface PipelineBody {
  readonly ctx: PipelineCtx;
  readonly outputs: Record<string, { source: Source; spec: IoSpec }>;
  readonly description?: string;
  readonly displayName?: string;
  readonly settings: PipelineSettings;
}

export interface ComponentImpl {
  readonly name: string;
  readonly inputs: Record<string, IoSpec>;
  readonly outputs: Record<string, IoSpec>;
  /** The IR component, for everything but DSL pipelines (compiled at `compile()` time). */
  readonly ir?: IrComponent;
  /** Other components a loaded `dag` component refers to, by name. */
  readonly deps?: Record<string, IrComponent>;
  readonly pipeline?: PipelineBody;
  /** Loaded from IR: outputs become LooseRefs (checked at bind time, not by TypeScript). */
  readonly loose?: boolean;
}

/** @internal */
export const IMPL: unique symbol = Symbol.for('kiln.component');
