/**
 * How API commands reach the Kiln API: `--api-url` / `KILN_API_URL` (default
 * the address `kiln dev` listens on) and `--token` / `KILN_API_TOKEN`, through
 * `@kiln/client`. API errors become CLI errors that say what to do.
 */
import { createKilnClient, KilnApiError, KilnRunFailedError, type KilnClient } from '@kiln/client';
import type { Command } from 'commander';
import { CliError } from '../errors';

export const defaultApiUrl = 'http://127.0.0.1:8080';

export interface ApiFlags {
  apiUrl?: string;
  token?: string;
  json?: boolean;
}

/** Adds `--api-url`, `--token` and `--json` to a command. */
export function withApiFlags(command: Command): Command {
  return command
    .option('--api-url <url>', `Kiln API base URL (env KILN_API_URL; default ${defaultApiUrl})`)
    .option('--token <token>', 'API bearer token (env KILN_API_TOKEN; `kiln dev` prints one)')
    .option('--json', 'machine-readable JSON on stdout');
}

export function apiClient(flags: ApiFlags): KilnClient {
  const url = flags.apiUrl ?? process.env['KILN_API_URL'] ?? defaultApiUrl;
  const token = flags.token ?? process.env['KILN_API_TOKEN'];
  return createKilnClient({ api: { url, ...(token ? { token } : {}) } });
}

/** Runs `fn` with a client, turning client errors into CLI errors. */
export async function withClient<T>(flags: ApiFlags, fn: (client: KilnClient) => Promise<T>): Promise<T> {
  const client = apiClient(flags);
  try {
    return await fn(client);
  } catch (error) {
    throw cliErrorOf(error, flags);
  } finally {
    await client.close();
  }
}

function cliErrorOf(error: unknown, flags: ApiFlags): unknown {
  if (error instanceof KilnRunFailedError) return new CliError(error.message);
  if (!(error instanceof KilnApiError)) return error;
  const url = flags.apiUrl ?? process.env['KILN_API_URL'] ?? defaultApiUrl;
  const hint =
    error.code === 'unavailable'
      ? ` (is the API running at ${url}? start one with \`kiln dev\`, or set KILN_API_URL)`
      : error.code === 'unauthorized'
        ? ' (set KILN_API_TOKEN or pass --token; `kiln dev` prints a token)'
        : '';
  const details = Array.isArray(error.details) && error.code !== 'invalid-params' ? formatDetails(error.details) : '';
  return new CliError(`${error.message}${hint}${details}`, error.code === 'unavailable' ? 3 : 1);
}

function formatDetails(details: unknown[]): string {
  const lines = details
    .map((d) =>
      typeof d === 'object' && d !== null && 'message' in d
        ? `${'path' in d ? `${String(d.path)}: ` : ''}${String(d.message)}`
        : '',
    )
    .filter(Boolean);
  return lines.length > 1 ? `\n${lines.map((l) => `  ${l}`).join('\n')}` : '';
}
