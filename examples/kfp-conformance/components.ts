/**
 * Components shared by the KFP conformance ports. Each mirrors the logic of the KFP
 * test component with the same name, and runs on the local executor with nothing but
 * the Python standard library (`python` components) or /bin/sh (`component`).
 *
 * KFP's random components are deterministic here, so runtime expectations are stable:
 * `flip-coin-op` / `flip-coin` return their `outcome` input (default `'heads'`) instead
 * of `random.randint(0, 1)`; `int-0-to-9999` returns its `value` input.
 */
import { artifact, type ItemRef, param, python } from '@kiln/dsl';

/**
 * Types a loop item whose element type TypeScript cannot know: loops over a `param.list()`
 * OUTPUT (or a list parameter without a default) give `unknown` items, so `item.field` needs the
 * element type stated. The DSL resolves fields at run time either way; this is only a type cast.
 */
export function typedItem<T>(item: unknown): ItemRef<T> {
  return item as ItemRef<T>;
}

/** Shell snippet prefix: create the parent folder of "$1" (an output file) first. */
export const MKDIR_OUT = 'mkdir -p "$(dirname "$1")" && ';

const flip = (name: string) =>
  python({
    name,
    description:
      "KFP: random 'heads'/'tails'. Kiln port: returns `outcome` (default 'heads') so runs are reproducible.",
    inputs: { outcome: param.string({ default: 'heads', enum: ['heads', 'tails'] }) },
    outputs: { Output: param.string() },
    source: `
      def flip_coin(outcome):
          print(f"flipped: {outcome}")
          return {"Output": outcome}
    `,
  });

/** `flip_coin_op() -> str`. */
export const flipCoinOp = flip('flip-coin-op');
/** `flip_coin() -> str`. */
export const flipCoin = flip('flip-coin');

/** `print_op(msg: str)`. */
export const printOpMsg = python({
  name: 'print-op',
  inputs: { msg: param.string() },
  source: `
    def print_op(msg):
        print(msg)
  `,
});

/** `print_op(message: str)`. */
export const printOpMessage = python({
  name: 'print-op',
  inputs: { message: param.string() },
  source: `
    def print_op(message):
        print(message)
  `,
});

/** `fail_op(message: str)`: prints and exits 1. */
export const failOp = python({
  name: 'fail-op',
  inputs: { message: param.string() },
  source: `
    def fail_op(message):
        import sys
        print(message)
        sys.exit(1)
  `,
});

/** `print_text(msg: str)`. */
export const printText = python({
  name: 'print-text',
  inputs: { msg: param.string() },
  source: `
    def print_text(msg):
        print(msg)
  `,
});

/** `print_and_return(text: str) -> str`. */
export const printAndReturn = python({
  name: 'print-and-return',
  inputs: { text: param.string() },
  outputs: { Output: param.string() },
  source: `
    def print_and_return(text):
        print(text)
        return {"Output": text}
  `,
});

/** `double(num: int) -> int`. */
export const double = python({
  name: 'double',
  inputs: { num: param.int() },
  outputs: { Output: param.int() },
  source: `
    def double(num):
        return {"Output": 2 * num}
  `,
});

/** `add(nums: List[int]) -> int`. */
export const addInts = python({
  name: 'add',
  inputs: { nums: param.list() },
  outputs: { Output: param.int() },
  source: `
    def add(nums):
        print(nums)
        return {"Output": sum(nums)}
  `,
});

/** `double(num: int, out_dataset: Output[Dataset])`: writes 2*num to the dataset. */
export const doubleDataset = python({
  name: 'double',
  inputs: { num: param.int() },
  outputs: { out_dataset: artifact.dataset() },
  source: `
    def double(num, out_dataset):
        with open(out_dataset.path, "w") as f:
            f.write(str(2 * num))
  `,
});

/** `add(in_datasets: Input[List[Dataset]], out_dataset: Output[Dataset])`: sums the numbers in the datasets. */
export const addDatasets = python({
  name: 'add',
  inputs: { in_datasets: artifact.list(artifact.dataset()) },
  outputs: { out_dataset: artifact.dataset() },
  source: `
    def add(in_datasets, out_dataset):
        total = 0
        for ds in in_datasets:
            with open(ds.path) as f:
                total += int(f.read())
        with open(out_dataset.path, "w") as f:
            f.write(str(total))
  `,
});
