/**
 * A TCP proxy in front of the test database, so a test can make the database "go away" for its
 * clients without stopping a server that other test files share: either at once (every connection
 * cut, new ones refused) or as a network that hangs (nothing forwarded, nothing closed).
 */
import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  /** The proxied URL: `url` with host and port replaced by the proxy's. */
  readonly url: string;
  /** Cuts every open connection and refuses new ones until `restore()`. */
  cut(): void;
  /**
   * Stops forwarding in both directions but keeps every socket open, as a peer that stops answering
   * without a reset: bytes and closes from either side go nowhere, new connections are accepted and
   * never reach the server. A client's own close still ends its side; the server's side stays open,
   * so the server sees an idle, silent client.
   */
  freeze(): void;
  /** Ends a cut or a freeze. Frozen connections are destroyed (they lost bytes); new ones pass again. */
  restore(): void;
  close(): Promise<void>;
}

/** Starts a proxy to the host and port of a postgres:// URL. */
export const startTcpProxy = (url: string): Promise<TcpProxy> => new Promise((resolve) => {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  let down = false;
  let frozen = false;
  // Sockets that were open, or opened, during the current freeze.
  const stranded = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      stranded.delete(socket);
    });
    socket.on('error', () => socket.destroy());
  };
  // Forwards one direction by hand, so a freeze can drop bytes and closes instead of passing them.
  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (!frozen) to.write(chunk);
    });
    from.on('close', () => {
      if (!frozen) to.destroy();
    });
  };
  const server = createServer((client) => {
    track(client);
    if (down) {
      client.destroy();
      return;
    }
    if (frozen) {
      stranded.add(client);
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    track(upstream);
    forward(client, upstream);
    forward(upstream, client);
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
      freeze: () => {
        frozen = true;
        for (const socket of sockets) stranded.add(socket);
      },
      restore: () => {
        down = false;
        frozen = false;
        for (const socket of [...stranded]) socket.destroy();
        stranded.clear();
      },
      close: () => new Promise((done) => {
        frozen = false;
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
    });
  });
});
