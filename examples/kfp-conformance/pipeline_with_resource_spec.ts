/**
 * Port of KFP `pipeline_with_resource_spec.py`: cpu/memory requests and limits and an accelerator
 * on the trainer; inputUri/outputUri placeholders (KFP: components loaded from v1 YAML).
 * Differences: KFP's accelerator is (type 'tpu-v3', count 1); Kiln splits it into `accelerator`
 * (a type, mapped to a node selector) and `gpu` (a count of an extended resource), so the port
 * asks for accelerator 'tpu-v3' and one `google.com/tpu`. The components only echo their
 * arguments and write small files (the originals are images from gcr.io).
 */
import { artifact, component, param, pipeline } from '@kiln/dsl';

const ingestion = component({
  name: 'ingestion',
  image: 'alpine:3.20',
  inputs: { input_location: param.string() },
  outputs: { examples: artifact.dataset() },
  command: ({ inputs, outputs }) => [
    'sh',
    '-c',
    'echo "ingest from $1 to $3"; mkdir -p "$(dirname "$5")" && echo "$1" > "$5"',
    '--input-location',
    inputs.input_location,
    '--output-examples',
    outputs.examples.uri,
    '--path',
    outputs.examples.path,
  ],
});

const trainer = component({
  name: 'trainer',
  image: 'alpine:3.20',
  inputs: { examples: artifact.dataset(), optimizer: param.string(), n_epochs: param.int() },
  outputs: { model: artifact.model() },
  command: ({ inputs, outputs }) => [
    'sh',
    '-c',
    'echo "train on $1 with $3 for $5 epochs -> $7"; mkdir -p "$(dirname "$9")" && echo model > "$9"',
    '--input-examples',
    inputs.examples.uri,
    '--optimizer',
    inputs.optimizer,
    '--n_epochs',
    inputs.n_epochs,
    '--output-model',
    outputs.model.uri,
    '--path',
    outputs.model.path,
  ],
});

export const pipelineWithResourceSpec = pipeline(
  {
    name: 'two-step-pipeline-with-resource-spec',
    params: {
      input_location: param.string({ default: 'gs://test-bucket/pipeline_root' }),
      optimizer: param.string({ default: 'sgd' }),
      n_epochs: param.int({ default: 200 }),
    },
  },
  (p) => {
    const ingestor = ingestion({ input_location: p.input_location });
    trainer({ examples: ingestor.outputs.examples, optimizer: p.optimizer, n_epochs: p.n_epochs }).resources({
      cpu: { request: '2', limit: '4' },
      memory: { request: '4Gi', limit: '14Gi' },
      // KFP's set_accelerator_type('tpu-v3') names a node type, not a resource: a node selector here.
      acceleratorNodeSelector: 'tpu-v3',
      gpu: { count: 1, resource: 'google.com/tpu' },
    });
  },
);
