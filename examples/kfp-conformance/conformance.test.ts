/**
 * KFP conformance: each port compiles, validates, compiles byte-identically twice, and has
 * the structure written by hand in expected/<name>.ts from KFP's compiled pipeline (tasks,
 * dependencies, condition branches, loops and their items/parallelism, exit-handler membership,
 * fan-in and oneOf bindings; inputs and settings where the expected file states them).
 */
import { compile } from '@kiln/dsl';
import { canonicalize, validateSpec } from '@kiln/ir';
import { ports } from './ports';
import { extractShape, importerShapes, normalize, placeholderKinds, project, shapeIds } from './structure';

describe('KFP conformance ports', () => {
  it('covers at least 28 KFP test pipelines, one file each', () => {
    expect(ports.length).toBeGreaterThanOrEqual(28);
    expect(new Set(ports.map((p) => p.name)).size).toBe(ports.length);
    for (const p of ports) expect(p.expected.kfp.endsWith(p.name)).toBe(true);
  });

  describe.each(ports.map((p) => [p.name, p] as const))('%s', (_name, port) => {
    const spec = compile(port.pipeline);
    const shape = extractShape(spec);
    const e = port.expected;

    it('validates and compiles deterministically', () => {
      const result = validateSpec(JSON.parse(JSON.stringify(spec)));
      expect(result.ok ? [] : result.errors).toEqual([]);
      expect(canonicalize(compile(port.pipeline))).toBe(canonicalize(spec));
    });

    it('has the pipeline name, parameters and outputs of the KFP pipeline', () => {
      expect(shape.pipeline).toBe(e.pipeline);
      expect(shape.params).toEqual([...e.params].sort());
      expect(shape.outputs ?? {}).toEqual(e.outputs ?? {});
    });

    it("has KFP's structure: tasks, dependencies, branches, loops, exit handlers, fan-in", () => {
      expect(normalize(project(shape.root, e.root))).toEqual(normalize(e.root));
    });

    it('uses the placeholders, components and importers KFP does', () => {
      for (const [component, kinds] of Object.entries(e.placeholders ?? {}))
        expect(placeholderKinds(spec, component)).toEqual([...kinds].sort());
      if (e.components !== undefined) expect(Object.keys(spec.components)).toHaveLength(e.components);
      if (e.importers !== undefined) expect(importerShapes(spec)).toEqual(e.importers);
    });

    if (e.runtime !== undefined) {
      const runtime = e.runtime;
      it('states runtime expectations about tasks that exist', () => {
        const ids = new Set(shapeIds(shape.root));
        const named = [
          ...Object.keys(runtime.tasks),
          ...Object.keys(runtime.logs ?? {}),
          ...(runtime.exitSees ?? []).flatMap((x) => [x.task, ...(x.failedTasks ?? [])]),
          ...Object.keys(runtime.outputs ?? {})
            .filter((k) => !k.startsWith('pipeline.'))
            .map((k) => k.slice(0, k.lastIndexOf('.'))),
        ];
        expect(named.filter((id) => !ids.has(id))).toEqual([]);
        for (const k of Object.keys(runtime.outputs ?? {}).filter((k) => k.startsWith('pipeline.')))
          expect(Object.keys(spec.outputs)).toContain(k.slice('pipeline.'.length));
        for (const k of Object.keys(runtime.params ?? {})) expect(Object.keys(spec.params)).toContain(k);
      });
    }
  });
});
