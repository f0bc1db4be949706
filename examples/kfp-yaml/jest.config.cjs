/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'examples-kfp-yaml',
  rootDir: __dirname,
};
