import type { Expectation } from '../expectation';

/**
 * KFP compiles f'{n.output} trained for {user}' into a constant with placeholders plus two extra
 * task inputs the component does not declare; its driver interpolates at run time.
 */
export const expectation: Expectation = {
  feature: 'f-string of pipeline channels as an input value',
  refused: [
    {
      path: 'root.dag.tasks.say.inputs.parameters.pipelinechannel--make-name-Output',
      feature: 'pipeline channels inside a constant (f-string input values)',
    },
    {
      path: 'root.dag.tasks.say.inputs.parameters.pipelinechannel--user',
      feature: 'pipeline channels inside a constant (f-string input values)',
    },
    {
      path: 'root.dag.tasks.say.inputs.parameters.text.runtimeValue',
      feature: 'pipeline channels inside a constant (f-string input values)',
    },
  ],
};
