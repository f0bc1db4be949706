// Lint rules for the whole workspace. Module boundaries follow shared/DESIGN.md and
// CONTRIBUTING.md ("The project graph"): every project has one `layer:*` tag and may
// import only the layers listed for it below.
import nx from '@nx/eslint-plugin';
import { createProjectGraphAsync } from '@nx/devkit';
import { builtinModules } from 'node:module';
import reactHooks from 'eslint-plugin-react-hooks';

// @nx/enforce-module-boundaries reads a cached project graph and silently skips
// itself when there is none (a fresh clone, plain `eslint`). Computing the graph
// here makes the boundaries hold however ESLint is started.
await createProjectGraphAsync({ exitOnError: true });

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

// Libraries that do I/O: none of them may be reached from workflow code, which
// Temporal replays deterministically inside its sandbox.
const ioLibraries = [
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
  '@kubernetes/client-node',
  'minio',
  'pino',
  'fastify',
];

/** Which layers each layer may import (see the table in CONTRIBUTING.md). */
const layers = {
  'layer:ir': [],
  'layer:config': [],
  'layer:dsl': ['layer:ir', 'layer:kfp'],
  // The KFP YAML translator: pure, like the DSL (see the override below).
  'layer:kfp': ['layer:ir'],
  'layer:contract': ['layer:ir'],
  'layer:workflow': ['layer:ir', 'layer:contract'],
  'layer:worker': ['layer:contract'],
  'layer:temporal-client': ['layer:ir', 'layer:contract'],
  'layer:artifacts': ['layer:ir'],
  // Every store key and record schema: pure, so anything that touches the store may use it.
  'layer:store-layout': ['layer:ir', 'layer:contract'],
  'layer:launcher': ['layer:ir', 'layer:artifacts', 'layer:contract', 'layer:store-layout'],
  'layer:store-activities': ['layer:ir', 'layer:artifacts', 'layer:contract', 'layer:store-layout'],
  'layer:kube': ['layer:ir', 'layer:contract', 'layer:store-layout'],
  'layer:executor': [
    'layer:ir',
    'layer:artifacts',
    'layer:launcher',
    'layer:contract',
    'layer:store-activities',
    'layer:store-layout',
    'layer:kube',
  ],
  // The HTTP API's schemas, bundled by the web UI too; stored records it serves come from the store layout.
  'layer:api-contract': ['layer:ir', 'layer:contract', 'layer:store-layout'],
  'layer:client': [
    'layer:ir',
    'layer:dsl',
    'layer:kfp',
    'layer:contract',
    'layer:temporal-client',
    'layer:store-layout',
    'layer:api-contract',
  ],
  'layer:app': [
    'layer:ir',
    'layer:dsl',
    'layer:kfp',
    'layer:contract',
    'layer:worker',
    'layer:temporal-client',
    'layer:artifacts',
    'layer:store-layout',
    'layer:launcher',
    'layer:executor',
    'layer:store-activities',
    'layer:client',
    'layer:config',
    'layer:kube',
    'layer:api-contract',
  ],
  // The web UI runs in the browser: the IR, the contract's types and schemas, the API contract.
  'layer:ui': ['layer:ir', 'layer:contract', 'layer:api-contract'],
  // The HTTP API reads what runs leave in the store and talks to Temporal and the Kubernetes API; it never runs
  // steps, so no executor, launcher or worker code may reach it.
  'layer:api': [
    'layer:ir',
    'layer:dsl',
    'layer:kfp',
    'layer:contract',
    'layer:temporal-client',
    'layer:artifacts',
    'layer:store-layout',
    'layer:api-contract',
    'layer:config',
    'layer:kube',
  ],
  'layer:tool': ['*'],
  'layer:test': ['*'],
};

/**
 * Workflow-safe layers may use these packages and nothing else from npm. The
 * contract also holds the zod schemas its types are inferred from, in an entry
 * of its own (`@kiln/engine-contract/schemas`) that workflow code never loads.
 */
const allowedPackages = {
  'layer:workflow': ['@temporalio/workflow', '@temporalio/common'],
  'layer:contract': ['@temporalio/workflow', '@temporalio/common', 'zod'],
  'layer:store-layout': ['zod'],
  // The API contract is bundled into the web UI: zod and nothing else from npm.
  'layer:api-contract': ['zod'],
};

const depConstraints = Object.entries(layers).map(([sourceTag, allowed]) => ({
  sourceTag,
  onlyDependOnLibsWithTags: allowed,
  ...(allowedPackages[sourceTag] ? { allowedExternalImports: allowedPackages[sourceTag] } : {}),
}));

const boundaries = (constraints, extra = {}) => [
  'error',
  { enforceBuildableLibDependency: false, allow: [], depConstraints: constraints, ...extra },
];

// Tests, their support files and fixtures may import anything (test servers,
// workers, executors) but still may not reach into another project by a relative
// path. One override instead of a disable comment per import.
const testFiles = ['**/test/**/*.ts', '**/tests/**/*.ts', '**/*.test.ts', '**/*.spec.ts'];

// The web UI's source runs in the browser: nothing Node-side, and of the engine
// contract only its types (its index also defines Temporal queries).
const uiSource = ['apps/ui/src/**/*.ts', 'apps/ui/src/**/*.tsx'];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/tmp/**', '**/coverage/**', '**/*.cjs'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(depConstraints),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: testFiles,
    rules: {
      // Lazy loading keeps a library out of an app's start-up; tests may load it eagerly.
      '@nx/enforce-module-boundaries': boundaries([{ sourceTag: '*', onlyDependOnLibsWithTags: ['*'] }], {
        checkDynamicDependenciesExceptions: ['.*'],
      }),
    },
  },
  {
    // The KFP translator takes text or parsed documents and returns IR: no file system, no network.
    files: ['libs/kfp/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...ioLibraries].map((name) => ({
            name,
            message: '@kiln/kfp is pure: it gets YAML text or parsed documents; callers do the I/O.',
          })),
        },
      ],
    },
  },
  {
    files: uiSource,
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: uiSource,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...[...nodeBuiltins, ...ioLibraries].map((name) => ({
              name,
              message: 'The web UI runs in the browser: no Node built-ins or server libraries.',
            })),
            {
              name: '@kiln/engine-contract',
              allowTypeImports: true,
              message: 'Import types only (`import type`); runtime schemas come from @kiln/engine-contract/schemas.',
            },
          ],
        },
      ],
    },
  },
  {
    // Workflow code and the contract it shares: deterministic, sandboxed, no I/O.
    // Whole projects, so no relative import can walk around the rule. Temporal's
    // bundler would fail at worker start; this fails at lint time with a reason.
    files: ['libs/engine/workflows/**/*.ts', 'libs/engine/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...ioLibraries].map((name) => ({
            name,
            message:
              'Workflow code must stay deterministic: no Node built-ins or I/O libraries. Do I/O in an activity.',
          })),
          patterns: [
            {
              group: ['@temporalio/client/*', '@temporalio/worker/*', 'minio/*', '@kubernetes/client-node/*'],
              message: 'Workflow code must stay deterministic: do I/O in an activity.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Workflow code cannot read the process environment.' },
        { name: 'setInterval', message: 'Use workflow timers (sleep / condition) instead.' },
        { name: 'fetch', message: 'Workflow code must not do network I/O.' },
      ],
    },
  },
  {
    // The store layout only names keys and parses records: usable from any process, and from a web page.
    files: ['libs/store-layout/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...ioLibraries].map((name) => ({
            name,
            message: 'The store layout is pure: no Node built-ins or I/O. Read and write the store where it is opened.',
          })),
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'The store layout is pure: take settings as arguments.' },
        { name: 'fetch', message: 'The store layout is pure: no network I/O.' },
      ],
    },
  },
  {
    // The API contract runs in browsers too (the web UI bundles it): no Node built-ins or Node globals.
    files: ['libs/api-contract/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'The API contract runs in browsers: no Node built-ins. Keep Node code in apps/api or libs/client.',
          })),
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', '__dirname', '__filename', 'require'].map((name) => ({
          name,
          message: 'The API contract runs in browsers: no Node globals.',
        })),
      ],
    },
  },
];
