import type { Expectation } from '../expectation';

/** Artifact placeholders of container components: output path, input path, URI and metadata. */
export const expectation: Expectation = {
  feature: 'container components passing a Dataset (path, uri, metadata placeholders)',
  translated: {
    pipeline: 'container-artifacts',
    params: { rows: 'int = 5' },
    root: {
      'write-rows': { task: 'write-rows', in: { rows: '$rows' } },
      'count-rows': { task: 'count-rows', after: ['write-rows'], in: { table: 'write-rows.table' } },
    },
    components: {
      'write-rows': {
        type: 'container',
        argv: [
          'sh',
          '-c',
          'mkdir -p "$(dirname "$1")" && seq 1 "$0" > "$1"',
          '{inputValue:rows}',
          '{outputPath:table}',
        ],
      },
      'count-rows': {
        type: 'container',
        argv: [
          'sh',
          '-c',
          'wc -l < "$0"; echo "from $1"; echo "metadata $2"',
          '{inputPath:table}',
          '{inputUri:table}',
          '{inputMetadata:table}',
        ],
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { 'write-rows': 'succeeded', 'count-rows': 'succeeded' },
    artifacts: { 'write-rows.table': { text: '1\n2\n3\n4\n5\n' } },
    logs: { 'count-rows': '5' },
  },
};
