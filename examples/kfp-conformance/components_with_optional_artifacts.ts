/**
 * Port of KFP `components_with_optional_artifacts.py`: optional artifact inputs, an IfPresent
 * placeholder with else on an artifact, an importer feeding a sub-pipeline, a sub-pipeline called
 * without its optional artifact.
 * Difference: KFP's top-level pipeline takes an optional artifact `dataset1`; Kiln run
 * parameters are values, never artifacts (import them with `importer()`), so the port has no
 * `dataset1` and binds nothing where KFP binds it: what a KFP run with the default (no dataset1)
 * does.
 */
import { artifact, component, importer, pipeline, python } from '@kiln/dsl';
import { ifPresent } from '@kiln/dsl';

const pythonArtifactPrinter = python({
  name: 'python-artifact-printer',
  inputs: { artifact: artifact.artifact({ optional: true }) },
  source: `
    def python_artifact_printer(artifact=None):
        if artifact is not None:
            print(artifact.uri)
        else:
            print("No artifact provided!")
  `,
});

const customArtifactPrinter = component({
  name: 'custom-artifact-printer',
  image: 'alpine:3.20',
  inputs: { artifact: artifact.artifact({ optional: true }) },
  command: ({ inputs }) => [
    ifPresent(inputs.artifact, ['echo', inputs.artifact.uri], ['echo', 'No artifact provided!']),
  ],
});

const innerPipeline = pipeline(
  { name: 'inner-pipeline', params: { dataset: artifact.dataset({ optional: true }) } },
  (p) => {
    pythonArtifactPrinter({ artifact: p.dataset });
  },
);

export const componentsWithOptionalArtifacts = pipeline({ name: 'optional-artifact-pipeline' }, () => {
  customArtifactPrinter({});
  customArtifactPrinter({});
  const d2 = importer({ uri: 'gs://ml-pipeline-playground/shakespeare1.txt', artifactType: 'dataset' });
  innerPipeline({ dataset: d2.outputs.artifact });
  innerPipeline({});
});
