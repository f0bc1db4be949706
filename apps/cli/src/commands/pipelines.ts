/**
 * `kiln pipelines upload|list`: pipeline versions stored by the Kiln API.
 * `upload` takes a pipeline module (.ts/.js, compiled here) or an IR file.
 */
import type { Command } from 'commander';
import { withApiFlags, withClient, type ApiFlags } from '../api/connect';
import { json, shortTime, table } from '../api/table';
import type { Io } from '../program';
import { loadSpec } from '../run/load-spec';

export function registerPipelinesCommands(program: Command, io: Io): void {
  const pipelines = program
    .command('pipelines')
    .description('upload and list stored pipeline versions (through the Kiln API)');

  withApiFlags(
    pipelines
      .command('upload')
      .description('store a pipeline version (re-uploading the same IR is a no-op); needs the admin role')
      .argument('<file>', 'a pipeline module (.ts/.js) or IR file (.json/.yaml)')
      .option('-p, --pipeline <name>', 'the export or pipeline name when the file has several')
      .option('--version <label>', 'version label (default: the next number)')
      .option('--description <text>', 'what changed in this version'),
  ).action(async (file: string, flags: ApiFlags & { pipeline?: string; version?: string; description?: string }) => {
    const spec = await loadSpec(file, flags.pipeline);
    await withClient(flags, async (client) => {
      const v = await client.pipelines.upload(spec, {
        ...(flags.version ? { version: flags.version } : {}),
        ...(flags.description ? { description: flags.description } : {}),
      });
      io.stdout(
        flags.json ? json(v) : `${v.created ? 'uploaded' : 'unchanged'} ${v.name} version ${v.version} ${v.digest}\n`,
      );
    });
  });

  withApiFlags(pipelines.command('list').description('stored pipelines with their latest version')).action(
    async (flags: ApiFlags) => {
      await withClient(flags, async (client) => {
        const list = await client.pipelines.list();
        if (flags.json) return io.stdout(json({ pipelines: list }));
        if (list.length === 0) return io.stdout('no pipelines (upload one with: kiln pipelines upload <file>)\n');
        io.stdout(
          table(
            ['PIPELINE', 'VERSIONS', 'LATEST', 'DIGEST', 'UPLOADED', 'BY'],
            list.map((p) => [
              p.name,
              String(p.versions),
              p.latest.version,
              p.latest.digest.slice(0, 19),
              shortTime(p.latest.createdAt),
              p.latest.createdBy,
            ]),
          ),
        );
      });
    },
  );
}
