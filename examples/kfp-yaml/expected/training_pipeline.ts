import type { Expectation } from '../expectation';

const packages = ['pandas', 'scikit-learn', 'kfp==2.17.3', 'typing-extensions>=3.7.4,<5; python_version<"3.9"'];

/**
 * The seed tutorial: load → train → evaluate, then deploy inside dsl.Condition(evaluation ==
 * "yes"). The condition group depends on evaluate-model (its test) and train-model (the model it
 * deploys); the Python components install pandas and scikit-learn through their bootstrap.
 */
export const expectation: Expectation = {
  feature: "the seed tutorial's training pipeline (load, train, evaluate, conditional deploy)",
  translated: {
    pipeline: 'training-pipeline',
    params: {
      data_url: 'string = "sklearn:breast_cancer"',
      min_accuracy: 'float = 0.85',
      deploy_endpoint: 'string = "/tmp/kiln/deployed/training-pipeline"',
    },
    root: {
      'load-data': { task: 'load-data', in: { source_url: '$data_url' } },
      'train-model': { task: 'train-model', after: ['load-data'], in: { dataset: 'load-data.dataset' } },
      'evaluate-model': {
        task: 'evaluate-model',
        after: ['load-data', 'train-model'],
        in: { model: 'train-model.model', test_data: 'load-data.dataset', min_accuracy: '$min_accuracy' },
      },
      'condition-1': {
        after: ['evaluate-model', 'train-model'],
        if: [
          {
            when: 'evaluate-model.Output == "yes"',
            then: {
              'deploy-model': {
                task: 'deploy-model',
                in: { model: 'train-model.model', endpoint_name: '$deploy_endpoint' },
              },
            },
          },
        ],
      },
    },
    components: {
      'load-data': { type: 'container', kfpPackages: packages },
      'train-model': { type: 'container', kfpPackages: packages },
      'evaluate-model': {
        type: 'container',
        kfpPackages: packages,
        kfpTypes: {
          inputs: { model: 'system.Model@0.0.1', test_data: 'system.Dataset@0.0.1', min_accuracy: 'NUMBER_DOUBLE' },
          outputs: { metrics: 'system.Metrics@0.0.1', Output: 'STRING' },
        },
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    // A random forest on scikit-learn's breast cancer data scores well above 0.85: it is deployed.
    tasks: {
      'load-data': 'succeeded',
      'train-model': 'succeeded',
      'evaluate-model': 'succeeded',
      'deploy-model': 'succeeded',
    },
    outputs: { 'evaluate-model.Output': 'yes' },
    artifacts: { 'load-data.dataset': { metadata: { rows: 569, columns: 31 } } },
    logs: { 'deploy-model': 'Model deployed to /tmp/kiln/deployed/training-pipeline' },
  },
};
