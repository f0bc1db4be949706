/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'worker',
  rootDir: __dirname,
  // A real Temporal server, a real worker and the workflow bundle: seconds per test.
  testTimeout: 120_000,
};
