/**
 * A throwaway PostgreSQL cluster for the tests, started from the server binaries when they are
 * installed (initdb refuses to run as root, so as root the cluster belongs to `nobody`).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgCluster {
  readonly url: string;
  stop(): void;
}

/** The directory holding initdb and pg_ctl, or null when PostgreSQL's server is not installed. */
export const findPgBin = (): string | null => {
  const candidates = ['/usr/local/bin', '/usr/bin'];
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
  candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) ?? null;
};

const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const server = createServer();
  server.on('error', reject);
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => resolve(port));
  });
});

const NOBODY = 65534;

/**
 * Creates and starts a cluster on a free local port; `stop()` shuts it down and deletes its files.
 * Test clusters skip fsync; `durable` keeps PostgreSQL's defaults, for benchmarks.
 */
export const startPgCluster = async (bin: string, options: { durable?: boolean } = {}): Promise<PgCluster> => {
  const dir = mkdtempSync(join(tmpdir(), 'seatkit-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, NOBODY, NOBODY);
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? ['/usr/sbin/runuser', '/sbin/runuser'].find(existsSync) ?? 'runuser' : join(bin, tool);
    const argv = asRoot ? ['-u', 'nobody', '--', join(bin, tool), ...args] : args;
    execFileSync(command, argv, { stdio: 'pipe', cwd: dir });
  };
  const data = join(dir, 'data');
  const port = await freePort();
  // An ICU default collation orders text linguistically, as many production databases do, so the
  // tests see what the adapter must do to order by code point.
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--locale-provider=icu', '--icu-locale=en-US']);
  const settings = [
    `-p ${port}`, "-c listen_addresses=127.0.0.1", `-c unix_socket_directories=${dir}`,
    '-c track_commit_timestamp=on', '-c max_connections=300', ...(options.durable ? [] : ['-c fsync=off']),
  ].join(' ');
  run('pg_ctl', ['-D', data, '-o', settings, '-l', join(dir, 'server.log'), '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
};
