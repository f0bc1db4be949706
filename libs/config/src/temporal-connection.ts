/** Temporal connection options from the settings: address, TLS files, API key. */
import { readFileSync } from 'node:fs';
import { ConfigError } from './settings';
import type { TemporalSettings } from './fields';

/** What both `NativeConnection.connect` (worker) and `Connection.connect` (client) accept. */
export interface TemporalConnectionOptions {
  address: string;
  tls?:
    | {
        serverNameOverride?: string;
        serverRootCACertificate?: Buffer;
        clientCertPair?: { crt: Buffer; key: Buffer };
      }
    | boolean;
  apiKey?: string;
}

/**
 * Reads the TLS files the settings name. TLS is on when asked for, or when a
 * certificate, a CA or an API key is configured (Temporal Cloud needs TLS with API keys).
 *
 * @throws {ConfigError} naming the setting whose file cannot be read.
 * @example
 * ```ts
 * const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
 * ```
 */
export function temporalConnectionOptions(t: TemporalSettings): TemporalConnectionOptions {
  const read = (path: string | undefined, setting: string): Buffer | undefined => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path);
    } catch (error) {
      throw new ConfigError([
        {
          setting,
          message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        },
      ]);
    }
  };
  const crt = read(t.tlsCert, 'KILN_TEMPORAL_TLS_CERT');
  const key = read(t.tlsKey, 'KILN_TEMPORAL_TLS_KEY');
  const ca = read(t.tlsCa, 'KILN_TEMPORAL_TLS_CA');
  const wantTls = t.tls ?? (crt !== undefined || ca !== undefined || t.apiKey !== undefined);
  // Explicit `false`: the SDK would otherwise turn TLS on by itself whenever an API key is set.
  const options: TemporalConnectionOptions = { address: t.address, tls: false };
  if (wantTls) {
    options.tls = {
      ...(t.tlsServerName ? { serverNameOverride: t.tlsServerName } : {}),
      ...(ca ? { serverRootCACertificate: ca } : {}),
      ...(crt && key ? { clientCertPair: { crt, key } } : {}),
    };
  }
  if (t.apiKey) options.apiKey = t.apiKey;
  return options;
}
