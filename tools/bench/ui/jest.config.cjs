/** @type {import('jest').Config} */
module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'bench-ui',
  rootDir: __dirname,
  // Starts kiln dev and Chromium and runs the short bench on 2 shared cores.
  testTimeout: 180_000,
};
