/**
 * The HTTP server a benchmark measures, in its own process so the load generator does not share its
 * event loop: seatkit on memory, SQLite or PostgreSQL storage, or a bare node:http server that reads
 * the body and answers 201 (the ceiling: what HTTP itself costs on this machine).
 *
 * Run: node --import tsx bench/support/bench-server.ts <bare|memory|sqlite|postgres> [sqlite file | postgres url [schema]]
 * Sends `{ port }` to the parent over IPC.
 */
import { createServer } from 'node:http';
import { serve } from '@hono/node-server';
import { createSeatkit, memoryStorage, rulePolicy, type StorageAdapter } from '../../src/index';

export const BENCH_TOKEN = 'bench-token';

const [kind, target, schema] = process.argv.slice(2);

const ready = (port: number) => process.send?.({ port });

const bare = () => {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      response.writeHead(201, { 'content-type': 'application/scim+json' });
      response.end(JSON.stringify({ ...body, id: crypto.randomUUID() }));
    });
  });
  server.listen(0, '127.0.0.1', () => ready((server.address() as { port: number }).port));
};

const storageFor = async (): Promise<StorageAdapter> => {
  if (kind === 'memory') return memoryStorage();
  if (kind === 'sqlite') return (await import('../../src/sqlite')).sqliteStorage({ file: target! });
  if (kind === 'postgres') return (await import('../../src/postgres')).postgresStorage({ url: target!, schema, poolSize: 10 });
  throw new Error(`unknown server kind ${kind}`);
};

const seatkitServer = async () => {
  const seatkit = createSeatkit({
    storage: await storageFor(),
    policy: rulePolicy({ defaultTier: 'standard', rules: [{ when: { group: 'Pro Users' }, tier: 'pro' }] }),
    limits: { maxPayloadSize: 64 * 1024 * 1024 },
  });
  await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: null }, { key: 'pro', seats: null }] }, tokens: [BENCH_TOKEN] });
  serve({ fetch: (request) => seatkit.handle(request), port: 0, hostname: '127.0.0.1' }, (info) => ready(info.port));
};

if (kind === 'bare') bare();
else await seatkitServer();
