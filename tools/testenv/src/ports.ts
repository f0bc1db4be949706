import { createServer } from 'node:net';

/**
 * Asks the kernel for a free port on 127.0.0.1. Another process could take it before our server
 * binds; servers then fail fast with "address already in use" in their log, which is reported.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('Could not allocate a free port on 127.0.0.1'));
      });
    });
  });
}

/** A tuple of `N` numbers, so callers can destructure ports without undefined checks. */
type Ports<N extends number, Acc extends number[] = []> = Acc['length'] extends N ? Acc : Ports<N, [...Acc, number]>;

export async function freePorts<N extends number>(count: N): Promise<Ports<N>> {
  // Allocate sequentially and deduplicate: the kernel may hand back a port just released.
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports] as Ports<N>;
}
