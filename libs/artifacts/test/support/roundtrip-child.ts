/**
 * Run in a child process so its memory is its own: uploads a local file through the store,
 * downloads it back, and prints one JSON line with the digests, timings and the process's peak
 * resident memory (VmHWM). Usage: roundtrip-child.ts <store-url> <key> <file> <download-path>;
 * S3 settings from KILN_S3_*.
 */
import { readFileSync } from 'node:fs';
import { digestFile, openStore } from '../../src';

function peakRssBytes(): number {
  const line = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return Number(line?.[1] ?? 0) * 1024;
}

async function main(): Promise<void> {
  const [url, key, file, download] = process.argv.slice(2) as [string, string, string, string];
  const store = openStore(url);
  const t0 = Date.now();
  const put = await store.putPath(key, file);
  const t1 = Date.now();
  const got = await store.getToPath(key, download);
  const t2 = Date.now();
  const local = await digestFile(download);
  process.stdout.write(
    `${JSON.stringify({ putDigest: put.digest, statDigest: got.digest, downloadedDigest: local.digest, size: local.size, putMs: t1 - t0, getMs: t2 - t1, peakRss: peakRssBytes() })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
