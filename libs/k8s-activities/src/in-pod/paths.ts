/**
 * Paths inside a step pod that the worker's pod spec and the in-pod program
 * agree on: where the shared emptyDir is mounted, where the step works, where
 * the main container records its exit code, and the /bin/sh wrapper the
 * user's image runs. Plain constants without imports, so the in-pod program
 * can read them before it loads anything heavy.
 */
/** The emptyDir every container of the pod mounts. */
export const kilnVolume = 'kiln';
export const kilnMountPath = '/kiln';
/** The launcher's work folder (inputs, outputs, parameter files) inside the pod. */
export const podWorkDir = `${kilnMountPath}/work`;
/** Written by the main container's wrapper once the command has exited: the exit code and a newline. */
export const exitCodeFile = `${kilnMountPath}/exit-code`;

/** Written by the fetch phase when the work folder is ready: the step's start time for the record. */
export const startedAtFile = `${kilnMountPath}/started-at`;

/** Written by the publish sidecar once it can be stopped safely; the fetch phase waits for it, so main never outruns it. */
export const publisherReadyFile = `${kilnMountPath}/publisher-ready`;

/**
 * The main container's entry: runs "$@" (the resolved command, one argument
 * per value, never re-parsed by a shell), forwards SIGTERM to it so a deleted
 * pod stops promptly, and records the exit code for the publish sidecar. All
 * it needs from the user's image is a POSIX /bin/sh.
 *
 * Usage: `/bin/sh -c "$mainWrapper" kiln-step <command> <args...>`
 */
export const mainWrapper = [
  '"$@" &',
  'child=$!',
  `trap 'kill -TERM "$child" 2>/dev/null' TERM INT`,
  'while :; do',
  '  wait "$child"; code=$?',
  // wait returns early (>128) when a trapped signal arrives; keep waiting while the child lives.
  '  kill -0 "$child" 2>/dev/null || break',
  'done',
  `printf '%s\\n' "$code" > ${exitCodeFile}.tmp && mv -f ${exitCodeFile}.tmp ${exitCodeFile} 2>/dev/null || printf '%s\\n' "$code" > ${exitCodeFile}`,
  'exit "$code"',
].join('\n');
