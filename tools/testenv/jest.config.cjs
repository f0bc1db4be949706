const preset = require('../../jest.preset.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  displayName: 'testenv',
  rootDir: __dirname,
  // ESM-style relative imports ('./kube.js') name the .ts source under tsx; jest must resolve them too.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1', ...preset.moduleNameMapper },
};
