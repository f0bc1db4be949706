/** Accelerators as KFP means them: a resource name and count in the pod's limits; a node selector only when asked. */
import { compile, component, pipeline } from '../src';

const train = component({ name: 'train', image: 'python:3.11', command: () => ['python', 'train.py'] });
const resourcesOf = (build: () => void) => compile(pipeline({ name: 'p' }, build)).root.tasks['train'];

test("accelerator: 'nvidia.com/gpu' with a count is that resource, not a node selector", () => {
  const node = resourcesOf(() => {
    train().resources({ accelerator: 'nvidia.com/gpu', gpu: 2 });
  });
  expect(node?.type === 'task' && node.settings.resources).toEqual({ gpu: { count: 2, resource: 'nvidia.com/gpu' } });
});

test('an accelerator alone asks for one; acceleratorNodeSelector is the explicit cloud node selector', () => {
  const one = resourcesOf(() => {
    train().resources({ accelerator: 'amd.com/gpu' });
  });
  expect(one?.type === 'task' && one.settings.resources).toEqual({ gpu: { count: 1, resource: 'amd.com/gpu' } });
  const gke = resourcesOf(() => {
    train().resources({ gpu: 1, acceleratorNodeSelector: 'nvidia-tesla-t4' });
  });
  expect(gke?.type === 'task' && gke.settings.resources).toEqual({ gpu: { count: 1 }, accelerator: 'nvidia-tesla-t4' });
});
