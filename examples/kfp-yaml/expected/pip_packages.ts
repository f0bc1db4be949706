import type { Expectation } from '../expectation';

/**
 * The SDK's bootstrap runs `pip install` twice: the component's packages_to_install (from the
 * given index), then kfp itself. Both invocations are recorded for the executor.
 */
export const expectation: Expectation = {
  feature: 'packages_to_install, pip_index_urls (pip bootstrap)',
  translated: {
    pipeline: 'pip-packages',
    params: {},
    root: { 'uses-six': { task: 'uses-six', in: {} } },
    outputs: { Output: 'uses-six.Output' },
    components: {
      'uses-six': {
        type: 'container',
        kfpPackages: ['six==1.17.0', 'kfp==2.17.3', 'typing-extensions>=3.7.4,<5; python_version<"3.9"'],
        kfpVenv: false,
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { 'uses-six': 'succeeded' },
    outputs: { 'pipeline.Output': '1.17.0' },
  },
};
