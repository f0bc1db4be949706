/**
 * Port of KFP `pipeline_with_env.py`: environment variables on a python task and on a container
 * task whose component (KFP: inline YAML) declares ENV1=val0, ENV2=val0 itself.
 * Difference: Kiln components declare no env; the task env is the merged result KFP compiles
 * to (component ENV1=val0, task ENV2=val2 overriding val0, task ENV3=val3).
 */
import { component, pipeline, python } from '@kiln/dsl';

const printEnvOp = python({
  name: 'print-env-op',
  source: `
    def print_env_op():
        import os
        print("ENV1", os.environ.get("ENV1"))
        print("ENV2", os.environ.get("ENV2"))
  `,
});

const printEnv = component({
  name: 'print-env',
  image: 'alpine:3.20',
  command: () => ['sh', '-c', 'set -e; echo "$ENV1"; echo "$ENV2"; echo "$ENV3"'],
});

export const pipelineWithEnv = pipeline({ name: 'pipeline-with-env' }, () => {
  printEnvOp().env({ ENV1: 'val1' });
  printEnv().env({ ENV1: 'val0', ENV2: 'val0' }).env({ ENV2: 'val2' }).env({ ENV3: 'val3' });
});
