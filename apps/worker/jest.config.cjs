/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'worker',
  rootDir: __dirname,
  // No code yet (see src/index.ts): an empty project passes rather than failing the run.
  passWithNoTests: true,
};
