// Lint rules for the whole workspace. Module boundaries follow shared/DESIGN.md:
// dsl → ir ← engine; executors → launcher, artifacts, ir; apps and tools wire them.
import nx from '@nx/eslint-plugin';
import { builtinModules } from 'node:module';

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

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/tmp/**', '**/coverage/**', '**/*.cjs'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'layer:ir', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'layer:config', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'layer:dsl', onlyDependOnLibsWithTags: ['layer:ir'] },
            { sourceTag: 'layer:workflow', onlyDependOnLibsWithTags: ['layer:ir'] },
            { sourceTag: 'layer:artifacts', onlyDependOnLibsWithTags: ['layer:ir'] },
            { sourceTag: 'layer:launcher', onlyDependOnLibsWithTags: ['layer:ir', 'layer:artifacts'] },
            {
              sourceTag: 'layer:executor',
              onlyDependOnLibsWithTags: ['layer:ir', 'layer:artifacts', 'layer:launcher', 'layer:workflow'],
            },
            { sourceTag: 'layer:client', onlyDependOnLibsWithTags: ['layer:ir', 'layer:dsl', 'layer:workflow'] },
            {
              sourceTag: 'layer:app',
              onlyDependOnLibsWithTags: [
                'layer:ir',
                'layer:dsl',
                'layer:workflow',
                'layer:artifacts',
                'layer:launcher',
                'layer:executor',
                'layer:client',
                'layer:config',
              ],
            },
            { sourceTag: 'layer:tool', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code: deterministic, sandboxed, no I/O. Temporal's bundler would
    // fail at worker start; this fails at lint time with a reason instead.
    files: ['libs/engine/src/**/*.ts'],
    ignores: [
      'libs/engine/src/**/*.test.ts',
      'libs/engine/src/**/*.spec.ts',
      'libs/engine/src/testing/**',
      // Node-side wiring (worker factory, client helpers): never imported by workflow code.
      'libs/engine/src/worker/**',
      'libs/engine/src/client/**',
    ],
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
];
