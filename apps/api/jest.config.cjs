/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'api',
  rootDir: __dirname,
  // Real servers and a real worker: runs and schedules take seconds.
  testTimeout: 120_000,
};
