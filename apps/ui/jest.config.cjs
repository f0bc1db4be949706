/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'ui',
  rootDir: __dirname,
  // The browser tests start Chromium and lay out a 1,000-task graph on 2 shared cores.
  testTimeout: 120_000,
};
