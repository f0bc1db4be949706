/**
 * Container components for the Kubernetes examples. Each runs a short POSIX
 * shell script with `/bin/sh`, so any image with a shell works (`alpine:3.20`
 * here; the test cluster's node agent ignores images and runs the same
 * commands on its host). Values reach the script as positional arguments
 * (`$0`, `$1`, ...), never spliced into the script text, so a parameter can
 * hold quotes or `$(...)` without being run.
 */
import { artifact, component, param } from '@kiln/dsl';

const image = 'alpine:3.20';

/** Writes `text` as a one-line document and counts its words. */
export const writeText = component({
  name: 'write-text',
  image,
  inputs: { text: param.string() },
  outputs: { document: artifact.dataset(), words: param.int() },
  command: ({ inputs, outputs }) => [
    '/bin/sh',
    '-c',
    'printf "%s\\n" "$0" > "$1" && wc -w < "$1" | tr -d " " > "$2"',
    inputs.text,
    outputs.document.path,
    outputs.words.path,
  ],
});

/** One loop iteration: the document prefixed with the shard's name, and its size in bytes. */
export const tagShard = component({
  name: 'tag-shard',
  image,
  inputs: { document: artifact.dataset(), shard: param.string() },
  outputs: { tagged: artifact.dataset(), bytes: param.int() },
  command: ({ inputs, outputs }) => [
    '/bin/sh',
    '-c',
    'printf "%s: " "$1" > "$2" && cat "$0" >> "$2" && wc -c < "$2" | tr -d " " > "$3"',
    inputs.document.path,
    inputs.shard,
    outputs.tagged.path,
    outputs.bytes.path,
  ],
});

/**
 * The fan-in: the loop's tagged documents, in item order, joined into one. A
 * list input's path placeholder is a JSON array of local paths.
 */
export const joinShards = component({
  name: 'join-shards',
  image,
  inputs: { parts: artifact.list(artifact.dataset()) },
  outputs: { joined: artifact.dataset(), lines: param.int() },
  command: ({ inputs, outputs }) => [
    '/bin/sh',
    '-c',
    ': > "$1"; for f in $(printf "%s" "$0" | tr -d "[]\\"" | tr "," " "); do cat "$f" >> "$1"; done; wc -l < "$1" | tr -d " " > "$2"',
    inputs.parts.path,
    outputs.joined.path,
    outputs.lines.path,
  ],
});

/** The branch for long texts: the joined document in upper case. */
export const shout = component({
  name: 'shout',
  image,
  inputs: { joined: artifact.dataset() },
  outputs: { summary: artifact.markdown(), verdict: param.string() },
  command: ({ inputs, outputs }) => [
    '/bin/sh',
    '-c',
    'tr "a-z" "A-Z" < "$0" > "$1" && printf long > "$2"',
    inputs.joined.path,
    outputs.summary.path,
    outputs.verdict.path,
  ],
});

/** The branch for short texts: the joined document's first line only. */
export const whisper = component({
  name: 'whisper',
  image,
  inputs: { joined: artifact.dataset() },
  outputs: { summary: artifact.markdown(), verdict: param.string() },
  command: ({ inputs, outputs }) => [
    '/bin/sh',
    '-c',
    'head -n 1 "$0" > "$1" && printf short > "$2"',
    inputs.joined.path,
    outputs.summary.path,
    outputs.verdict.path,
  ],
});

/** Sleeps, then says so: a step to cancel while it runs. */
export const nap = component({
  name: 'nap',
  image,
  inputs: { seconds: param.int() },
  outputs: { woke: param.string() },
  command: ({ inputs, outputs }) => [
    '/bin/sh',
    '-c',
    'sleep "$0" && printf yes > "$1"',
    inputs.seconds,
    outputs.woke.path,
  ],
});

/**
 * The exit task: receives the guarded group's final status (a JSON object) and
 * reports its `state` as an output parameter and in its log.
 */
export const report = component({
  name: 'report',
  image,
  inputs: { status: param.object() },
  outputs: { state: param.string() },
  command: ({ inputs, outputs }) => [
    '/bin/sh',
    '-c',
    'state=$(printf "%s" "$0" | sed -n "s/.*\\"state\\": *\\"\\([A-Z]*\\)\\".*/\\1/p"); echo "run ended: ${state:-unknown} ($0)"; printf "%s" "${state:-unknown}" > "$1"',
    inputs.status,
    outputs.state.path,
  ],
});
