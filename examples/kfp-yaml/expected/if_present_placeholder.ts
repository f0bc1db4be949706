import type { Expectation } from '../expectation';

/**
 * IfPresentPlaceholder(input_name, then, else_) is Kiln's ifPresent on the optional input. The
 * two tasks share one component (KFP copies it per task); their display names are kept.
 */
export const expectation: Expectation = {
  feature: 'IfPresentPlaceholder with an optional input, bound and unbound',
  translated: {
    pipeline: 'if-present-placeholder',
    params: { name: 'string = "Kiln"' },
    root: {
      greet: { task: 'greet', in: { name: '$name' }, settings: { displayName: 'default greeting' } },
      'greet-2': {
        task: 'greet',
        in: { name: '$name', greeting: '"Howdy"' },
        settings: { displayName: 'custom greeting' },
      },
    },
    components: {
      greet: {
        type: 'container',
        argv: ['echo', '{ifPresent:greeting?{inputValue:greeting}:Hello}', '{inputValue:name}'],
      },
    },
    componentCount: 1,
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { greet: 'succeeded', 'greet-2': 'succeeded' },
    logs: { greet: 'Hello Kiln', 'greet-2': 'Howdy Kiln' },
  },
};
