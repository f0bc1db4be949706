/**
 * The soak's own servers: a private copy of tools/testenv (Temporal dev server on a file-backed
 * database, MinIO, etcd + kube-apiserver + the test node agent) in a state dir of its own, on free
 * ports of its own, so restarting them never touches the servers other tests share
 * (`/tmp/testenv.json`).
 *
 * A restart is a crash and a cold start: the server's process group is SIGKILLed, stays down for
 * a moment, and its recorded command line, environment and working directory (read back from
 * /proc) are started again. The new pid is written into the state dir's `state.json` in place of
 * the old one, so `KILN_TESTENV_DIR=<dir> tools/testenv/down` still stops everything by pid, even
 * if the soak itself dies.
 */
import { execFile, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { Connection } from '@temporalio/client';
import type { TestEnvironmentWith } from '@kiln/testenv';
import { workspaceRoot } from '@kiln/testing';
import { z } from 'zod';

export type ChaosServers = TestEnvironmentWith<'temporal' | 'minio' | 'kubernetes'>;

/** The servers a fault may restart, by the name tools/testenv records them under. */
export type RestartableServer = 'temporal' | 'minio' | 'kube-apiserver';

const processRecordSchema = z.object({
  name: z.string(),
  pid: z.number().int(),
  startTime: z.string(),
  log: z.string(),
});
type ProcessRecord = z.infer<typeof processRecordSchema>;
const stateSchema = z.looseObject({ processes: z.record(z.string(), z.array(processRecordSchema)) });
const upOutputSchema = z.object({
  temporal: z.object({ address: z.string(), namespace: z.string(), ui: z.string() }),
  minio: z.object({ endpoint: z.string(), accessKey: z.string(), secretKey: z.string(), bucket: z.string() }),
  kubernetes: z.object({ kubeconfig: z.string(), namespace: z.string() }),
});

/** A server that did not come back, or a state dir that does not say what the soak expects. */
export class ChaosServerError extends Error {
  override readonly name = 'ChaosServerError';
}

function runTestenv(command: 'up' | 'down', dir: string, timeoutMs: number): Promise<string> {
  const root = workspaceRoot();
  const script = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const args = [script, join(root, 'tools', 'testenv', 'src', 'cli.ts'), command];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: root, env: { ...process.env, KILN_TESTENV_DIR: dir }, timeout: timeoutMs, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new ChaosServerError(
              `tools/testenv ${command} (KILN_TESTENV_DIR=${dir}) failed: ${stderr || error.message}`,
            ),
          );
        else resolve(stdout);
      },
    );
  });
}

/** Kernel start time of a pid (field 22 of /proc/<pid>/stat), or undefined when it is gone or a zombie. */
function startTimeOf(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

/** Live members of a process group. */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z' && Number(fields[2]) === pgid) members.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return members;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What it takes to start a process again exactly as it was started. */
interface Relaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

function relaunchOf(record: ProcessRecord): Relaunch {
  const split = (file: string) => readFileSync(`/proc/${record.pid}/${file}`, 'utf8').split('\0').filter(Boolean);
  const [command, ...args] = split('cmdline');
  if (!command) throw new ChaosServerError(`${record.name} (pid ${record.pid}) has no command line in /proc`);
  const env: Record<string, string> = {};
  for (const entry of split('environ')) {
    const at = entry.indexOf('=');
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return { command, args, env, cwd: readlinkSync(`/proc/${record.pid}/cwd`) };
}

/**
 * The soak's private servers in `dir`. Start with {@link PrivateServers.start}; {@link PrivateServers.stop}
 * stops every process by the pids recorded in the state dir and removes it.
 */
export class PrivateServers {
  /** Attaches to servers tools/testenv already runs with state dir `dir` (see {@link PrivateServers.start}). */
  constructor(
    readonly dir: string,
    readonly env: ChaosServers,
  ) {}

  /** Starts (or reuses, if `dir` already runs them) all three parts; minutes on a cold cache. */
  static async start(dir: string, timeoutMs = 600_000): Promise<PrivateServers> {
    const stdout = await runTestenv('up', dir, timeoutMs);
    const parsed = upOutputSchema.safeParse(JSON.parse(stdout.trim() || '{}'));
    if (!parsed.success)
      throw new ChaosServerError(`tools/testenv up in ${dir} did not start all three parts: ${stdout}`);
    return new PrivateServers(dir, parsed.data);
  }

  private get stateFile(): string {
    return join(this.dir, 'state.json');
  }

  private readState(): z.infer<typeof stateSchema> {
    return stateSchema.parse(JSON.parse(readFileSync(this.stateFile, 'utf8')));
  }

  private record(name: RestartableServer): ProcessRecord {
    const record = Object.values(this.readState().processes)
      .flat()
      .find((r) => r.name === name);
    if (!record) throw new ChaosServerError(`no ${name} recorded in ${this.stateFile}`);
    if (startTimeOf(record.pid) !== record.startTime)
      throw new ChaosServerError(`${name} (pid ${record.pid}) is not running; see ${record.log}`);
    return record;
  }

  /** Swaps one record for another in state.json (atomically, by rename). */
  private replaceRecord(old: ProcessRecord, next: ProcessRecord): void {
    const state = this.readState();
    for (const records of Object.values(state.processes)) {
      const at = records.findIndex((r) => r.pid === old.pid && r.name === old.name);
      if (at >= 0) records[at] = next;
    }
    const temp = `${this.stateFile}.chaos.tmp`;
    writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(temp, this.stateFile);
  }

  /**
   * SIGKILLs the server's process group, keeps it down for `downMs`, starts it again with the same
   * command line, environment and ports, and waits until it answers. Returns the seconds from the
   * kill until it answered again.
   */
  async restart(name: RestartableServer, downMs: number, readyTimeoutMs = 180_000): Promise<number> {
    const old = this.record(name);
    const how = relaunchOf(old);
    const killedAt = Date.now();
    try {
      process.kill(-old.pid, 'SIGKILL');
    } catch {
      // Already gone: a restart all the same.
    }
    for (const until = Date.now() + 15_000; groupMembers(old.pid).length > 0; await sleep(50)) {
      if (Date.now() > until) throw new ChaosServerError(`${name} (pid ${old.pid}) survived SIGKILL for 15 s`);
    }
    await sleep(downMs);
    const out = openSync(old.log, 'a');
    let pid: number | undefined;
    try {
      const child = spawn(how.command, how.args, {
        cwd: how.cwd,
        env: how.env,
        detached: true,
        stdio: ['ignore', out, out],
      });
      child.on('error', () => undefined);
      child.unref();
      pid = child.pid;
    } finally {
      closeSync(out);
    }
    if (pid === undefined) throw new ChaosServerError(`could not start ${name} again (${how.command}); see ${old.log}`);
    const next = { name: old.name, pid, startTime: startTimeOf(pid) ?? '', log: old.log };
    this.replaceRecord(old, next);
    await this.waitUntilAnswers(name, next, readyTimeoutMs);
    return (Date.now() - killedAt) / 1000;
  }

  private async waitUntilAnswers(name: RestartableServer, record: ProcessRecord, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (startTimeOf(record.pid) === undefined)
        throw new ChaosServerError(`${name} exited after its restart; see ${record.log}`);
      if (await this.answers(name).catch(() => false)) return;
      if (Date.now() > deadline)
        throw new ChaosServerError(
          `${name} did not answer within ${timeoutMs / 1000} s of its restart; see ${record.log}`,
        );
      await sleep(250);
    }
  }

  /** True when the server serves requests, not merely when its port is open. */
  async answers(name: RestartableServer): Promise<boolean> {
    if (name === 'minio') return (await fetch(`${this.env.minio.endpoint}/minio/health/ready`)).ok;
    if (name === 'temporal') {
      const connection = await Connection.connect({ address: this.env.temporal.address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: this.env.temporal.namespace });
        return true;
      } finally {
        await connection.close();
      }
    }
    const kc = new KubeConfig();
    kc.loadFromFile(this.env.kubernetes.kubeconfig);
    await kc.makeApiClient(CoreV1Api).readNamespace({ name: this.env.kubernetes.namespace });
    return true;
  }

  /** Stops every process recorded in `dir` by pid (tools/testenv down with that state dir) and removes the dir. */
  static async stopDir(dir: string): Promise<void> {
    if (existsSync(dir)) await runTestenv('down', dir, 120_000);
  }
}
