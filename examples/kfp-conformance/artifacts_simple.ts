/**
 * Port of KFP `parallelfor_fan_in/artifacts_simple.py`: collected ARTIFACT fan-in (a list of
 * datasets) to a python and a container component; the pipeline output is the artifact list.
 * Differences: KFP's container gets the list as JSON objects with URIs; Kiln's `inputPath` of a
 * list input is a JSON array of local paths, which the /bin/sh container reads.
 */
import { artifact, collected, component, parallelFor, pipeline, type Task } from '@kiln/dsl';
import { addDatasets, doubleDataset } from './components';

const addContainer = component({
  name: 'add-container',
  image: 'alpine:3.20',
  inputs: { in_datasets: artifact.list(artifact.dataset()) },
  outputs: { out_dataset: artifact.dataset() },
  command: ({ inputs, outputs }) => [
    'sh',
    '-c',
    'mkdir -p "$(dirname "$1")"; s=0; for f in $(printf \'%s\' "$0" | tr -d \'[]"\' | tr \',\' \' \'); do s=$((s + $(cat "$f"))); done; echo "$s"; printf \'%s\' "$s" > "$1"',
    inputs.in_datasets.path,
    outputs.out_dataset.path,
  ],
});

export const artifactsSimple = pipeline({ name: 'math-pipeline' }, () => {
  let t!: Task<ReturnType<typeof doubleDataset>['outputs']>;
  parallelFor([1, 2, 3], (x) => {
    t = doubleDataset({ num: x });
  });
  addDatasets({ in_datasets: collected(t.outputs.out_dataset) });
  addContainer({ in_datasets: collected(t.outputs.out_dataset) });
  return { Output: collected(t.outputs.out_dataset) };
});
