import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Loopback only: the local stack is never reachable from another machine. */
export const LOOPBACK = '127.0.0.1';

export const listen = (server: Server, port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });

export const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
