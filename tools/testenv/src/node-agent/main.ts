// Kiln's test node agent: a tiny kubelet + single-node scheduler that runs pods
// as local processes against a real kube-apiserver (see shared/DESIGN.md §8).
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { Agent } from './agent.js';
import { parseQuantity } from './quantity.js';

const int = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
};

const labels = (value: string, previous: Record<string, string>): Record<string, string> => {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('expected key=value');
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
};

const program = new Command()
  .name('node-agent')
  .description('Registers a Node, binds pending pods to it and runs them as local processes.')
  .requiredOption('--kubeconfig <file>', 'kubeconfig with rights to nodes, pods, bindings, leases')
  .requiredOption('--node-name <name>', 'name of the Node to register')
  .requiredOption('--data-dir <dir>', 'where pod dirs, volumes and logs live')
  .requiredOption('--port <port>', 'HTTPS port of the kubelet endpoint (logs)', int)
  .requiredOption('--tls-cert <file>', 'serving certificate for the kubelet endpoint')
  .requiredOption('--tls-key <file>', 'key of the serving certificate')
  .option('--scheduler-name <name>', 'bind only pods with this spec.schedulerName', 'default-scheduler')
  .option('--gpus <n>', 'nvidia.com/gpu capacity to advertise', int, 0)
  .option('--cpu <n>', 'cpu capacity (default: the real core count)', int)
  .option('--memory <quantity>', 'memory capacity, e.g. 8Gi (default: the real RAM)')
  .option('--max-pods <n>', 'pods capacity', int, 110)
  .option('--label <key=value>', 'extra node label (repeatable)', labels, {})
  .option('--kubelet-version <v>', 'version reported in nodeInfo', 'v1.37.2')
  .option(
    '--image-pull-fail-pattern <regex>',
    'images matching this fail with ErrImagePull/ImagePullBackOff ("" disables)',
    'does-not-exist',
  )
  .option('--log-level <level>', 'pino log level', 'info');

program.parse();
const opts = program.opts<{
  kubeconfig: string;
  nodeName: string;
  schedulerName: string;
  dataDir: string;
  port: number;
  tlsCert: string;
  tlsKey: string;
  gpus: number;
  cpu?: number;
  memory?: string;
  maxPods: number;
  label: Record<string, string>;
  kubeletVersion: string;
  imagePullFailPattern: string;
  logLevel: string;
}>();

const log = pino({ name: 'node-agent', level: opts.logLevel });
const agent = new Agent(
  {
    kubeconfig: opts.kubeconfig,
    nodeName: opts.nodeName,
    schedulerName: opts.schedulerName,
    dataDir: opts.dataDir,
    port: opts.port,
    tlsCert: opts.tlsCert,
    tlsKey: opts.tlsKey,
    gpus: opts.gpus,
    cpu: opts.cpu,
    memoryBytes: opts.memory ? parseQuantity(opts.memory) : undefined,
    maxPods: opts.maxPods,
    labels: opts.label,
    kubeletVersion: opts.kubeletVersion,
    imagePullFailPattern: opts.imagePullFailPattern ? new RegExp(opts.imagePullFailPattern) : undefined,
  },
  log,
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping: killing container processes');
  await agent.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

agent.start().catch((err: unknown) => {
  log.fatal({ err }, 'node agent failed to start');
  void agent.stop().finally(() => process.exit(1));
});
