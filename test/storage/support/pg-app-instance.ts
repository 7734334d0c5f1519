/**
 * One app instance for the multi-process tests: its own pg pool on the shared database, seatkit on
 * a plain Node HTTP server. Sends its port to the parent over IPC and serves until killed.
 *
 * Run: node --import tsx test/storage/support/pg-app-instance.ts <database url> <schema>
 */
import { serve } from '@hono/node-server';
import { createSeatkit } from '../../../src/seatkit';
import { rulePolicy } from '../../../src/core/license/rule-policy';
import { postgresStorage } from '../../../src/postgres';

const [url, schema] = process.argv.slice(2);
if (!url || !schema || !process.send) throw new Error('usage: pg-app-instance <url> <schema> (as a child process with IPC)');

// No limit on waiting for a connection: 500 requests queue on 10 connections here, and the test is
// about exact seats, not about how long a loaded machine takes to serve them.
const storage = await postgresStorage({ url, schema, poolSize: 10, migrate: false, connectionTimeoutMs: 0 });
const seatkit = createSeatkit({ storage, policy: rulePolicy({ defaultTier: 'standard' }), onError: () => undefined });
const server = serve({ fetch: (request) => seatkit.handle(request), port: 0, hostname: '127.0.0.1' }, (info) => {
  process.send!({ port: info.port });
});
process.on('SIGTERM', () => {
  server.close();
  void storage.close().finally(() => process.exit(0));
});
