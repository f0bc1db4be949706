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

/** Written by the one-process launcher (`launch`) once the work folder is ready: main's command may start. */
export const launcherReadyFile = `${kilnMountPath}/launcher-ready`;

/** Written by the one-process launcher when it could not prepare the work folder (its note in the store says why). */
export const launcherFailedFile = `${kilnMountPath}/launcher-failed`;

/**
 * A FIFO the static launcher makes beside main (it is a regular container there, not a native sidecar):
 * main's wrapper holds it open while it lives, so the launcher sees main leave even when it was killed
 * before recording an exit code, and exits instead of keeping the pod running.
 */
export const mainAliveFile = `${kilnMountPath}/main-alive`;

/** Main's exit code when the one-process launcher could not prepare the work folder: the command never ran. */
export const launcherFailedExitCode = 121;

/**
 * The main container's entry: runs "$@" (the resolved command, one argument
 * per value, never re-parsed by a shell), forwards SIGTERM to it so a deleted
 * pod stops promptly, and records the exit code for the publish sidecar. All
 * it needs from the user's image is a POSIX /bin/sh.
 *
 * Usage: `/bin/sh -c "$mainWrapper" kiln-step <command> <args...>`
 */
export const mainWrapper = exitCodeWrapper('"$@" &');

/** {@link mainWrapper} with the line that starts the command in the background. */
function exitCodeWrapper(start: string): string {
  return [
    start,
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
}

/**
 * The main container's entry when the pod has one launcher process (the `launch` sidecar): main starts
 * with the sidecar, so it first waits for the work folder to be ready (or for the launcher to say it
 * failed, then exits {@link launcherFailedExitCode} without running the command), then runs
 * {@link mainWrapper} in the work folder (main's `workingDir` is the mount: a runtime would
 * create a missing working directory as root, and the launcher could not write there). The wait polls every 20 ms (`sleep 0.02`, in busybox and coreutils; a
 * `sleep` without fractions falls back to whole seconds).
 *
 * Usage: `/bin/sh -c "$mainWrapperAfterLauncher" kiln-step <command> <args...>`
 */
export const mainWrapperAfterLauncher = [
  `while [ ! -e ${launcherReadyFile} ]; do`,
  ...exitIfLauncherFailed('  '),
  '  sleep 0.02 2>/dev/null || sleep 1',
  'done',
  // The work folder is the launcher's to create (as its user): main starts in the mount and moves in now.
  `cd ${podWorkDir} || exit ${launcherFailedExitCode}`,
  mainWrapper,
].join('\n');

/** Lines that end main, without running the command, if the launcher said it failed. */
function exitIfLauncherFailed(indent: string): string[] {
  return [
    `if [ -e ${launcherFailedFile} ]; then`,
    `  echo "kiln: the launcher could not prepare the step's work folder; the kiln-launcher container's log says why" >&2`,
    `  exit ${launcherFailedExitCode}`,
    'fi',
  ].map((line) => indent + line);
}

/**
 * The main container's entry beside the static launcher (a regular container started with main). The
 * launcher makes {@link mainAliveFile}, a FIFO, first thing; main's wrapper waits for it to exist (every
 * 5 ms), then opens it for writing, which returns the moment the launcher opens it for reading once the
 * work folder is ready (or has failed: the failed file is written first). Then it writes one byte there and
 * keeps the FIFO open until it exits (the command does not inherit it), so the launcher sees main leave
 * whichever way it does; and runs {@link mainWrapper} in the work folder.
 *
 * Usage: `/bin/sh -c "$mainWrapperBesideStaticLauncher" kiln-step <command> <args...>`
 */
export const mainWrapperBesideStaticLauncher = [
  `while [ ! -p ${mainAliveFile} ]; do`,
  ...exitIfLauncherFailed('  '),
  '  sleep 0.005 2>/dev/null || sleep 1',
  'done',
  `exec 3>${mainAliveFile} || exit ${launcherFailedExitCode}`,
  ...exitIfLauncherFailed(''),
  `printf x >&3 || exit ${launcherFailedExitCode}`,
  `cd ${podWorkDir} || exit ${launcherFailedExitCode}`,
  exitCodeWrapper('"$@" 3>&- &'),
].join('\n');
