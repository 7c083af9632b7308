import type { Server } from 'node:http';

/** A stand-in's server listening on `port` of 127.0.0.1 (0: a free one): its origin, and how to stop it with its open connections. */
export async function listenLocal(server: Server, port = 0): Promise<{ origin: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
