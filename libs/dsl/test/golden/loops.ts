import { artifact, collected, component, param, parallelFor, pipeline } from '../../src';

const listMaker = component({
  name: 'list-maker',
  image: 'alpine:3.20',
  outputs: { items: param.list() },
  command: ({ outputs }) => ['make', outputs.items.path],
});

const work = component({
  name: 'work',
  image: 'alpine:3.20',
  inputs: { lr: param.float(), depth: param.int(), name: param.string({ default: 'x' }) },
  outputs: { score: param.float(), model: artifact.model() },
  command: ({ inputs, outputs }) => ['work', inputs.lr, inputs.depth, inputs.name, outputs.score.path, outputs.model.path],
});

const echo = component({
  name: 'echo',
  image: 'alpine:3.20',
  inputs: { value: param.string() },
  command: ({ inputs }) => ['echo', inputs.value],
});

const pick = component({
  name: 'pick',
  image: 'alpine:3.20',
  inputs: { models: artifact.list(artifact.model()), scores: param.list() },
  command: ({ inputs }) => ['pick', inputs.scores],
});

export const loopsPipeline = pipeline({ name: 'loops', params: { names: param.list({ default: ['a', 'b'] }) } }, (p) => {
  const sweep = parallelFor(
    [
      { lr: 0.1, depth: 4 },
      { lr: 0.01, depth: 8 },
    ],
    (cfg) => {
      const t = work({ lr: cfg.lr, depth: cfg.depth });
      return { model: t.outputs.model, score: t.outputs.score };
    },
    { parallelism: 2 },
  );
  pick({ models: sweep.outputs.model, scores: sweep.outputs.score });

  parallelFor(p.names, (name) => {
    echo({ value: name });
  });

  const made = listMaker();
  let inner!: ReturnType<typeof work>;
  parallelFor(made.outputs.items, (item) => {
    inner = work({ lr: 0.5, depth: 1, name: item });
  }, { parallelism: 10, name: 'over-output' });
  pick({ models: collected(inner.outputs.model), scores: collected(inner.outputs.score) });
});
