import { and, artifact, component, not, or, param, pipeline, when } from '../../src';

const evaluate = component({
  name: 'evaluate',
  image: 'alpine:3.20',
  outputs: { accuracy: param.float(), stage: param.string(), model: artifact.model() },
  command: ({ outputs }) => ['eval', outputs.accuracy.path, outputs.stage.path, outputs.model.path],
});

const deploy = component({
  name: 'deploy',
  image: 'alpine:3.20',
  inputs: { model: artifact.model(), target: param.string() },
  command: ({ inputs }) => ['deploy', inputs.model.path, inputs.target],
});

export const conditionPipeline = pipeline(
  { name: 'condition', params: { minAccuracy: param.float({ default: 0.9 }), force: param.bool({ default: false }), env: param.string({ enum: ['dev', 'prod'], default: 'dev' }) } },
  (p) => {
    const ev = evaluate();
    when(and(ev.outputs.accuracy.ge(p.minAccuracy), not(ev.outputs.stage.eq('frozen'))), () => {
      deploy({ model: ev.outputs.model, target: 'prod' });
    })
      .elseWhen(or(p.force.eq(true), ev.outputs.accuracy.gt(0.5), p.env.in(['dev'])), () => {
        deploy({ model: ev.outputs.model, target: 'staging' });
      })
      .otherwise(() => {
        deploy({ model: ev.outputs.model, target: 'nowhere' });
      });
    when(ev.outputs.accuracy.lt(0.1), () => {
      when(p.env.ne('prod'), () => {
        deploy({ model: ev.outputs.model, target: p.env });
      });
    });
    when(ev.outputs.accuracy.le(p.minAccuracy), () => deploy({ model: ev.outputs.model, target: 'le' }), { name: 'low-accuracy' });
  },
);
