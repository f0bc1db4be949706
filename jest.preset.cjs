/**
 * Shared jest settings. Tests run as CommonJS: @swc/jest compiles our TypeScript
 * and the ESM-only dependencies listed below to CJS, so no project needs
 * `--experimental-vm-modules`. See CONTRIBUTING.md, "Modules".
 */
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

// Packages that ship only ES modules and must be compiled for jest.
const esmOnlyPackages = [
  '@kubernetes/client-node',
  'openid-client',
  'oauth4webapi',
  'jose',
  // Reached through Fastify's docs UI (@fastify/static) and inject (light-my-request).
  'content-disposition',
  'cookie',
];

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`] = path.join(__dirname, target);
}

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper,
  testMatch: ['<rootDir>/**/*.test.ts', '<rootDir>/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/fixtures/'],
};
