/**
 * The worker's half of the static launcher (apps/static-launcher, a small Go
 * program): for a step that moves no artifacts, the pod's launcher container
 * runs it instead of the Node launcher, which spends ~150 ms starting Node
 * before the user's command may run.
 *
 * The worker resolves what the Node launcher's fetch phase would (the same
 * `resolveStepCommand`, `podLayout` and `podResolveOptions`) and hands the
 * static launcher the result as a plan in its environment: nothing is staged in
 * the store and the container gets no store credentials. After main exits 0,
 * the static launcher reports the output parameters' raw text in its log; the
 * worker type-checks them with the launcher's own rules (`parseParamText`,
 * the same link rule and messages) and writes the executor-output record itself.
 * Everything else (artifacts, python components, KFP's protocol, a plan too big
 * for an environment variable) stays with the Node launcher.
 */
import { z } from 'zod';
import {
  LaunchError,
  outputFolders,
  outputLinkError,
  parseParamText,
  resolveStepCommand,
  type ExecutorOutput,
  type LaunchFailure,
  type LaunchRequest,
} from '@kiln/launcher';
import type { JsonValue } from '@kiln/ir';
import { launcherFailureSchema } from '@kiln/store-layout';
import { foldersInside, foldersToOpen } from './in-pod/fetch';
import { podLayout } from './in-pod/kfp-layout';
import {
  exitCodeFile,
  launcherFailedFile,
  launcherReadyFile,
  mainAliveFile,
  podResolveOptions,
  podWorkDir,
  startedAtFile,
} from './in-pod/layout';

/** The environment variable the plan travels in. */
export const staticPlanEnv = 'KILN_POD_PLAN';

/** The plan format; apps/static-launcher reads only this version. */
const planVersion = 1;

/**
 * A plan above this size goes to the Node launcher instead (the request staged in the store): an
 * environment variable holds at most 128 KiB on Linux, and the pod object is kept in etcd.
 */
export const maxStaticPlanBytes = 64 * 1024;

/**
 * The output parameters of one step together may hold this much text: they travel in the
 * launcher's log, then in the step's result in Temporal's history (2 MB per payload by default).
 */
export const maxStaticParamBytes = 1024 * 1024;

/** Markers of the static launcher's frames in its log (apps/static-launcher/main.go). */
const resultMarker = '::kiln-result::';
const failureMarker = '::kiln-failure::';
const endOfFrame = 'end';

/** What the static launcher does in a pod (apps/static-launcher/main.go, `plan`). */
export interface StaticLaunchPlan {
  version: number;
  files: { path: string; content: string }[];
  folders: string[];
  openUp: string[];
  outputParams: { name: string; file: string }[];
  exitCodeFile: string;
  startedAtFile: string;
  readyFile: string;
  failedFile: string;
  maxParamBytes: number;
  aliveFile: string;
  exitWhenDone: boolean;
}

/**
 * The static launcher's plan for `request`, or undefined when the step needs the Node launcher:
 * anything but a plain container step (python components, KFP's protocol), a step with input or
 * output artifacts, or a plan larger than {@link maxStaticPlanBytes}.
 *
 * @example
 * ```ts
 * const plan = staticLaunchPlan(toLaunchRequest(locateStep(request)));
 * if (plan) env.push({ name: staticPlanEnv, value: JSON.stringify(plan) });
 * ```
 */
export function staticLaunchPlan(request: LaunchRequest): StaticLaunchPlan | undefined {
  const impl = request.component.implementation;
  if (impl.type !== 'container' || impl.kfp !== undefined) return undefined;
  if (Object.keys(request.inputs.artifacts).length > 0 || Object.keys(request.outputs.artifacts).length > 0)
    return undefined;
  const layout = podLayout(request, podWorkDir);
  const command = resolveStepCommand(request, layout, {}, podResolveOptions);
  const files: StaticLaunchPlan['files'] = [];
  for (const file of command.files) {
    // A copy of a file the launcher image ships is the Node launcher's to make.
    if (!('content' in file)) return undefined;
    files.push({ path: file.path, content: file.content });
  }
  const folders = outputFolders(request, layout);
  const plan: StaticLaunchPlan = {
    version: planVersion,
    files,
    folders: [layout.root, ...folders],
    openUp: foldersToOpen(layout.root, foldersInside(layout.root, folders)),
    outputParams: Object.keys(request.outputs.params).map((name) => ({ name, file: layout.outputParamFile(name) })),
    exitCodeFile,
    startedAtFile,
    readyFile: launcherReadyFile,
    failedFile: launcherFailedFile,
    maxParamBytes: maxStaticParamBytes,
    // A regular container beside main: it watches main through this FIFO and exits once it has reported.
    aliveFile: mainAliveFile,
    exitWhenDone: true,
  };
  return Buffer.byteLength(JSON.stringify(plan)) <= maxStaticPlanBytes ? plan : undefined;
}

const paramReportSchema = z.object({
  name: z.string(),
  text: z.string().optional(),
  missing: z.boolean().optional(),
  link: z.object({ entry: z.string(), target: z.string(), folder: z.string() }).optional(),
  tooLarge: z.number().int().optional(),
});

const staticResultSchema = z.object({
  version: z.literal(planVersion),
  exitCode: z.literal(0),
  startedAt: z.string(),
  finishedAt: z.string(),
  params: z.array(paramReportSchema).nullable(),
});

/** What the static launcher reported after main exited 0. */
export type StaticLaunchResult = z.infer<typeof staticResultSchema>;

/** The last complete frame with `marker` in `log`, decoded; undefined when there is none or it does not read. */
function lastFrame(log: string, marker: string): unknown {
  let chunks: string[] = [];
  let complete: string[] | undefined;
  for (const line of log.split('\n')) {
    if (!line.startsWith(marker)) continue;
    const rest = line.slice(marker.length).trimEnd();
    if (rest === endOfFrame) {
      complete = chunks;
      chunks = [];
    } else chunks.push(rest);
  }
  if (!complete) return undefined;
  try {
    return JSON.parse(Buffer.from(complete.join(''), 'base64').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * What the static launcher said in its container's log: its result, or its account of a failure.
 *
 * @example
 * ```ts
 * const { result, failure } = readStaticLauncherLog(launcherLog);
 * ```
 */
export function readStaticLauncherLog(log: string): { result?: StaticLaunchResult; failure?: LaunchFailure } {
  const result = staticResultSchema.safeParse(lastFrame(log, resultMarker));
  const failure = launcherFailureSchema.safeParse(lastFrame(log, failureMarker));
  return { ...(result.success && { result: result.data }), ...(failure.success && { failure: failure.data }) };
}

/**
 * The log as users read it: the frames (base64 for the worker) become one line each.
 *
 * @example
 * ```ts
 * await store.put(stepLogKey(executionKey), withoutFrames(launcherLog));
 * ```
 */
export function withoutFrames(log: string): string {
  const lines: string[] = [];
  for (const line of log.split('\n')) {
    const marker = [resultMarker, failureMarker].find((m) => line.startsWith(m));
    if (!marker) lines.push(line);
    else if (line.slice(marker.length).trimEnd() === endOfFrame)
      lines.push(
        marker === resultMarker ? '[kiln] (outputs reported to the worker)' : '[kiln] (failure reported to the worker)',
      );
  }
  return lines.join('\n');
}

/**
 * The executor-output record of a step the static launcher ran, built with the Node launcher's rules:
 * every parameter's links checked before any is read, then each parsed per its declared type. Throws
 * the Node launcher's user failures (`OutputLinkOutsideFolder`, `MissingOutputParam`,
 * `InvalidOutputParam`).
 *
 * @example
 * ```ts
 * const record = staticExecutorOutput(request, result, store.uriFor(stepLogKey(request.executionKey)));
 * ```
 */
export function staticExecutorOutput(
  request: LaunchRequest,
  result: StaticLaunchResult,
  logUri: string,
): ExecutorOutput {
  const reports = new Map((result.params ?? []).map((report) => [report.name, report]));
  const declared = Object.entries(request.outputs.params);
  for (const [name] of declared) {
    const link = reports.get(name)?.link;
    if (link) throw outputLinkError(`output parameter "${name}"`, link.entry, link.target, link.folder);
  }
  const params: Record<string, JsonValue> = {};
  for (const [name, type] of declared) {
    const report = reports.get(name);
    if (report?.tooLarge !== undefined)
      throw new LaunchError(
        'user',
        'InvalidOutputParam',
        `output parameter "${name}" is ${report.tooLarge} bytes, more than the ${maxStaticParamBytes} ` +
          "bytes a step's output parameters may hold together (they travel in the step's result; " +
          'pass large values as artifacts)',
      );
    if (report?.text === undefined)
      throw new LaunchError(
        'user',
        'MissingOutputParam',
        `output parameter "${name}" was not written to its outputPath`,
      );
    params[name] = parseParamText(name, type, report.text);
  }
  return {
    executionKey: request.executionKey,
    exitCode: 0,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    logUri,
    outputs: { params, artifacts: {} },
    metrics: {},
  };
}
