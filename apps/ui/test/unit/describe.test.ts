import { describeBinding, describeExpr, describeLoopItems } from '../../src/graph/describe';

test('conditions read like expressions, nested and/or in parentheses', () => {
  expect(
    describeExpr({
      op: 'and',
      args: [
        { op: 'ge', left: { kind: 'output', task: 'eval', output: 'acc' }, right: { kind: 'param', name: 'min' } },
        {
          op: 'or',
          args: [
            {
              op: 'eq',
              left: { kind: 'loopItem', loop: 'l', path: ['kind'] },
              right: { kind: 'constant', value: 'a' },
            },
            {
              op: 'not',
              arg: { op: 'in', left: { kind: 'constant', value: 1 }, right: { kind: 'param', name: 'xs' } },
            },
          ],
        },
      ],
    }),
  ).toBe('eval.acc >= $min and (l.item.kind == "a" or not (1 in $xs))');
});

test('a huge constant is cut, so it cannot blow up a label', () => {
  expect(describeBinding({ kind: 'constant', value: 'x'.repeat(1000) })).toHaveLength(40);
});

test('loop items say what the loop runs over', () => {
  expect(describeLoopItems({ kind: 'constant', value: [1, 2, 3] })).toBe('over 3 items');
  expect(describeLoopItems({ kind: 'param', name: 'shards' }, 4)).toBe('over $shards, 4 at a time');
});
