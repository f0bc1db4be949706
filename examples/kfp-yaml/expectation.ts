/**
 * What one corpus pipeline must become, written from KFP's documented
 * semantics (not from Kiln's output): `expected/<name>.ts` next to
 * `pipelines/<name>.py`: the translation, and `run`, what running it with
 * default parameters must give (task states, output values, artifact contents).
 */
import type { JsonValue, PipelineSettings } from '@kiln/ir';
import type { KfpKind } from '@kiln/kfp';
import type { ComponentShape, ShapeDag } from './shape';

export interface Translated {
  /** The Kiln pipeline name (KFP's `pipelineInfo.name`). */
  pipeline: string;
  /** Every parameter as `type` or `type = default` (see `paramsText`). */
  params: Record<string, string>;
  /** The root DAG. */
  root: ShapeDag;
  /** Pipeline outputs as binding strings (none when left out). */
  outputs?: Record<string, string>;
  /** Pipeline settings (none when left out). */
  settings?: PipelineSettings;
  /** Some components by Kiln key, as far as the feature needs. */
  components?: Record<string, ComponentShape>;
  /** How many components the IR holds (KFP's per-task copies merged). */
  componentCount?: number;
}

/** A problem the translator must report: its YAML path and KFP feature. */
export interface Refusal {
  path: string;
  feature: string;
}

/** For `kind: 'component'` files: the component `translateKfpComponent` gives. */
export interface TranslatedComponent {
  name: string;
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  shape: ComponentShape;
}

/** Outcomes of a run (with default parameters unless `params` says otherwise). */
export interface RunExpectation {
  params?: Record<string, JsonValue>;
  state: 'SUCCEEDED' | 'FAILED';
  /** Per task id: its state, or for tasks in loops the count of iterations in each state. */
  tasks: Record<string, 'succeeded' | 'skipped' | 'failed' | { succeeded?: number; skipped?: number; failed?: number }>;
  /** `task.output` or `pipeline.<output>` → value. */
  outputs?: Record<string, JsonValue>;
  /** `task.output` → the artifact's text and metadata (only the keys named). */
  artifacts?: Record<string, { text?: string; metadata?: Record<string, JsonValue> }>;
  /** Task id → text its log must contain (what the program printed). */
  logs?: Record<string, string>;
  /** Where it runs, each expecting the same; default the local executor only. */
  executors?: ('local' | 'kubernetes')[];
  note?: string;
}

export interface Expectation {
  /** The KFP feature the pipeline shows (the README table's "feature"). */
  feature: string;
  /** What `detectKfp` says; `pipeline` unless stated. */
  kind?: KfpKind;
  /** The expected translation, or */
  translated?: Translated;
  /** the expected refusal (every problem, in any order), or */
  refused?: Refusal[];
  /** the expected component. */
  component?: TranslatedComponent;
  run?: RunExpectation;
  /** Why a pipeline that imports is not run by the test (the README's "why not"). */
  notRun?: string;
}
