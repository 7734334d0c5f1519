/**
 * A TCP proxy in front of the test database, so a test can make the database "go away" for its
 * clients (every connection cut, new ones refused) and come back, without stopping a server that
 * other test files share.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  /** The proxied URL: `url` with host and port replaced by the proxy's. */
  readonly url: string;
  /** Cuts every open connection and refuses new ones until `restore()`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** Starts a proxy to the host and port of a postgres:// URL. */
export const startTcpProxy = (url: string): Promise<TcpProxy> => new Promise((resolve) => {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  let down = false;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1', () => {
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String((server.address() as { port: number }).port);
    resolve({
      url: proxied.toString(),
      cut: () => {
        down = true;
        for (const socket of sockets) socket.destroy();
      },
      restore: () => {
        down = false;
      },
      close: () => new Promise((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
    });
  });
});
