/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'client',
  rootDir: __dirname,
  // Real servers, a real worker and the API as a process: runs and schedules take seconds
  // (minutes on a loaded CI machine).
  testTimeout: 300_000,
};
