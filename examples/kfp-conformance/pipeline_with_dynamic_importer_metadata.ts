/**
 * Port of KFP `pipeline_with_dynamic_importer_metadata.py`: importers whose URI comes from a
 * parameter and whose metadata is built from parameters and a task output.
 * Difference (a Kiln limitation): importer metadata is a constant object in Kiln; references inside
 * it are refused ("a reference must be bound on its own"). The port keeps the task graph (importer
 * with a parameter URI; make-name; importer-2 after make-name) and the constant metadata parts;
 * the dynamic values are not in the metadata. importer-2 waits for make-name with `.after()`
 * (in KFP the edge comes from the metadata reference).
 */
import { importer, param, pipeline, python } from '@kiln/dsl';

const makeName = python({
  name: 'make-name',
  inputs: { name: param.string() },
  outputs: { Output: param.string() },
  source: `
    def make_name(name):
        return {"Output": name}
  `,
});

export const pipelineWithDynamicImporterMetadata = pipeline(
  {
    name: 'pipeline-with-importer',
    params: {
      name: param.string({ default: 'default-name' }),
      int_input: param.int({ default: 1 }),
      pipeline_input_artifact_uri: param.string({ default: 'gs://ml-pipeline-playground/shakespeare1.txt' }),
      pipeline_input_image_uri: param.string({ default: 'us-docker.pkg.dev/vertex-ai/prediction/tf2-gpu.2-5:latest' }),
    },
  },
  (p) => {
    importer({
      uri: p.pipeline_input_artifact_uri,
      artifactType: 'artifact',
      reimport: false,
      metadata: { name: ['alias-name'] },
    });
    const m = makeName({ name: 'a-different-name' });
    importer({
      uri: 'gs://ml-pipeline-playground/shakespeare1.txt',
      artifactType: 'artifact',
      reimport: false,
      metadata: { 'list-of-data': [1] },
    }).after(m);
  },
);
