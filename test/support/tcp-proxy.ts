/**
 * A TCP proxy on loopback that a test can stall: while stalled, bytes in either direction are
 * held (not forwarded, not dropped) and every connection stays open, as when a network path
 * stops passing packets; `resume()` delivers what was held and carries on. A connection whose
 * upstream refuses is reset, as the server's own port would refuse it.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let stalled = false;
  const pending: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const whenFlowing = (fn: () => void) => (stalled ? pending.push(fn) : fn());

  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    const held: Buffer[] = [];
    let upstream: Socket | undefined;
    client.on('data', (chunk) => {
      if (upstream) {
        const to = upstream;
        whenFlowing(() => to.write(chunk));
      } else held.push(chunk);
    });
    whenFlowing(() => {
      if (client.destroyed) return;
      const up = connect(target.port, target.host);
      sockets.add(up);
      up.on('close', () => {
        sockets.delete(up);
        whenFlowing(() => client.end());
      });
      up.on('error', () => {
        if (!upstream) client.resetAndDestroy();
      });
      up.on('connect', () => {
        upstream = up;
        for (const chunk of held.splice(0)) up.write(chunk);
      });
      up.on('data', (chunk) => whenFlowing(() => client.write(chunk)));
      client.on('close', () => up.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    stall() {
      stalled = true;
    },
    resume() {
      stalled = false;
      for (const fn of pending.splice(0)) fn();
    },
    async close() {
      stalled = false;
      pending.length = 0;
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
