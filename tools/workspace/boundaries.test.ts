/**
 * The project graph CONTRIBUTING.md draws, checked against what the imports say
 * (`nx graph`), and the lint rule that keeps it, run as plain `eslint` would be
 * (no Nx task runner, no cached graph needed).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readProjectGraph, workspaceRoot, type ProjectGraph } from './graph';

let graph: ProjectGraph;
beforeAll(() => {
  graph = readProjectGraph();
}, 120_000);

const ours = (deps: string[]) => deps.filter((d) => !d.startsWith('npm:'));

describe('the engine is split like the Temporal SDK', () => {
  test('the workflows import only the contract and libs/ir of ours', () => {
    expect(ours(graph.dependencies['engine-workflows'] ?? [])).toEqual(['engine-contract', 'ir']);
  });

  test('the contract imports only libs/ir of ours', () => {
    expect(ours(graph.dependencies['engine-contract'] ?? [])).toEqual(['ir']);
  });

  test('the worker factory and the client do not import each other or the workflows', () => {
    expect(ours(graph.dependencies['engine-worker'] ?? [])).toEqual(['engine-contract']);
    expect(ours(graph.dependencies['engine-client'] ?? [])).toEqual(['engine-contract', 'ir']);
  });
});

describe('one store layout', () => {
  test('store-layout imports only the contract and libs/ir of ours', () => {
    expect(ours(graph.dependencies['store-layout'] ?? [])).toEqual(['engine-contract', 'ir']);
  });

  test('the API takes its store keys from store-layout, not from executor libraries', () => {
    // Its source only: the graph counts its tests too, which run real workers.
    const imported = kilnImports(join(workspaceRoot(), 'apps/api/src'));
    expect(imported).toContain('@kiln/store-layout');
    for (const executorLib of ['@kiln/store-activities', '@kiln/launcher', '@kiln/local-executor'])
      expect(imported).not.toContain(executorLib);
  });
});

/** Every `@kiln/*` module the .ts files under `dir` import, statically or dynamically. */
function kilnImports(dir: string): string[] {
  const found = new Set<string>();
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.ts')) continue;
    const text = readFileSync(join(dir, entry), 'utf8');
    for (const match of text.matchAll(/(?:from|import\()\s*'(@kiln\/[^']+)'/g)) if (match[1]) found.add(match[1]);
  }
  return [...found].sort();
}

describe('the HTTP API contract', () => {
  test('imports only the engine contract, libs/ir and the store layout of ours (a web UI bundles it)', () => {
    expect(ours(graph.dependencies['api-contract'] ?? [])).toEqual(['engine-contract', 'ir', 'store-layout']);
  });

  test('the API, tests included, imports no executor library, launcher or worker factory', () => {
    const executorProjects = ['local-executor', 'k8s-activities', 'store-activities', 'launcher', 'engine-worker'];
    expect(ours(graph.dependencies['api'] ?? []).filter((d) => executorProjects.includes(d))).toEqual([]);
    expect(graph.tags['api']).toEqual(['layer:api']);
  });

  test('the API and the client, tests included, import neither the local executor nor the worker factory', () => {
    // Their tests start workers through @kiln/testing. (The API's store-key and pod-log imports of
    // store-activities, launcher and k8s-activities move to their own libraries separately.)
    for (const project of ['api', 'client']) {
      const deps = ours(graph.dependencies[project] ?? []);
      expect([project, deps.filter((d) => d === 'local-executor' || d === 'engine-worker')]).toEqual([project, []]);
    }
  });
});

/** Lints `code` as if it were the file at `path`, with plain ESLint on stdin. */
function lint(path: string, code: string): { ruleId: string | null; message: string }[] {
  const result = spawnSync('npx', ['eslint', '--format', 'json', '--stdin', '--stdin-filename', path], {
    cwd: workspaceRoot(),
    input: code,
    encoding: 'utf8',
  });
  const [report] = JSON.parse(result.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return report?.messages ?? [];
}

describe('plain eslint enforces the boundaries', () => {
  const workflowFile = 'libs/engine/workflows/src/deliberately-bad.ts';

  test('workflow code may not import the worker', () => {
    const messages = lint(
      workflowFile,
      "import { createKilnWorker } from '@kiln/engine-worker';\nexport const w = createKilnWorker;\n",
    );
    expect(messages).toContainEqual(expect.objectContaining({ ruleId: '@nx/enforce-module-boundaries' }));
  }, 60_000);

  test('workflow code may not walk out of its project by a relative path', () => {
    const messages = lint(
      workflowFile,
      "import { kilnWorkflowBundle } from '../../worker/src/create-worker';\nexport const b = kilnWorkflowBundle;\n",
    );
    expect(messages).toContainEqual(
      expect.objectContaining({
        ruleId: '@nx/enforce-module-boundaries',
        message: expect.stringContaining('relative'),
      }),
    );
  }, 60_000);

  test('workflow code may not import Node built-ins or I/O libraries', () => {
    const messages = lint(
      workflowFile,
      "import { readFileSync } from 'node:fs';\nimport { Connection } from '@temporalio/client';\nexport const x = [readFileSync, Connection];\n",
    );
    const rules = messages.map((m) => m.ruleId);
    expect(rules.filter((r) => r === 'no-restricted-imports')).toHaveLength(2);
  }, 60_000);

  test('workflow code may use no npm package but the workflow-safe Temporal ones', () => {
    const messages = lint(
      workflowFile,
      "import { parse } from 'yaml';\nimport { sleep } from '@temporalio/workflow';\nexport const x = [parse, sleep];\n",
    );
    expect(messages).toEqual([
      expect.objectContaining({ ruleId: '@nx/enforce-module-boundaries', message: expect.stringContaining('"yaml"') }),
    ]);
  }, 60_000);

  test('the store layout may not import Node built-ins or I/O libraries', () => {
    const messages = lint(
      'libs/store-layout/src/deliberately-bad.ts',
      "import { readFileSync } from 'node:fs';\nimport { Client } from 'minio';\nexport const x = [readFileSync, Client];\n",
    );
    expect(messages.filter((m) => m.ruleId === 'no-restricted-imports')).toHaveLength(2);
  }, 60_000);

  test('the API contract may not import Node built-ins or npm packages but zod', () => {
    const messages = lint(
      'libs/api-contract/src/deliberately-bad.ts',
      "import { readFileSync } from 'node:fs';\nimport Fastify from 'fastify';\nimport { z } from 'zod';\nexport const x = [readFileSync, Fastify, z];\n",
    );
    expect(messages.map((m) => m.ruleId).sort()).toEqual(['@nx/enforce-module-boundaries', 'no-restricted-imports']);
  }, 60_000);

  test('the same import is fine in a test file (one override, no disable comments)', () => {
    const messages = lint(
      'libs/engine/tests/deliberately-fine.test.ts',
      "import { createKilnWorker } from '@kiln/engine-worker';\nimport { getTestEnvironment } from '@kiln/testenv';\nexport const w = [createKilnWorker, getTestEnvironment];\n",
    );
    expect(messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries')).toEqual([]);
  }, 60_000);
});
