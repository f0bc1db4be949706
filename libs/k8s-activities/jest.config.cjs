/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'k8s-activities',
  rootDir: __dirname,
  // Pods are real processes started by the test node agent; a step takes seconds, not milliseconds.
  testTimeout: 60_000,
};
