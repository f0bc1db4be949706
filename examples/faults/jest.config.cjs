/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'examples-faults',
  rootDir: __dirname,
};
