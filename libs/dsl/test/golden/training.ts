// eslint-disable-next-line @nx/enforce-module-boundaries -- the seed example is a golden pair too
export { training } from '../../../../examples/training/pipeline';
