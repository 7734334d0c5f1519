/**
 * `npm run demo`: starts the demo backend on SQLite, replays recorded Okta and Entra sessions
 * against it over HTTP, prints the seats and the users' licenses, then keeps serving.
 *
 * Environment: PORT (default 3000), SCIM_TOKEN (default: generated), SEATKIT_DB (a file path or
 * `:memory:`; default .data/seatkit-demo.sqlite). Flags: --no-replay, --once.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeEffect } from 'seatkit';
import { sqliteStorage } from 'seatkit/sqlite';
import { replayRecording, type Recording } from './replay';
import { createDemoApp } from './server';
import { printSeats, printUsers } from './print-tables';

const here = dirname(fileURLToPath(import.meta.url));
const args = new Set(process.argv.slice(2));
const replay = !args.has('--no-replay');
const once = args.has('--once');
const port = Number(process.env.PORT ?? 3000);
const token = process.env.SCIM_TOKEN || `demo-${randomBytes(18).toString('base64url')}`;
const dbFile = process.env.SEATKIT_DB || join(process.cwd(), '.data', 'seatkit-demo.sqlite');

const RECORDINGS = ['okta-session.json', 'entra-session.json'];

const openStorage = () => {
  if (dbFile !== ':memory:') {
    mkdirSync(dirname(dbFile), { recursive: true });
    // A replay starts from an empty tenant, so the recorded answers hold on every run.
    if (replay) for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(dbFile + suffix, { force: true });
  }
  return sqliteStorage({ file: dbFile });
};

const main = async () => {
  const storage = await openStorage();
  // License events are printed under the replayed step that caused them.
  let events: string[] = [];
  const { app, seatkit } = await createDemoApp({
    storage,
    token,
    onLicenseChange: ({ effects }) => {
      events.push(...effects.map((e) => `       ${describeEffect(e)}`));
    },
  });
  const server = app.listen(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;

  if (replay) {
    let failed = 0;
    for (const file of RECORDINGS) {
      const recording = JSON.parse(readFileSync(join(here, 'recordings', file), 'utf8')) as Recording;
      console.log(`\nReplaying ${recording.name}: ${recording.description}`);
      await replayRecording(baseUrl, token, recording, ({ step, problems }) => {
        console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${step}${problems.length ? `: ${problems.join('; ')}` : ''}`);
        for (const line of events) console.log(line);
        events = [];
        failed += problems.length === 0 ? 0 : 1;
      });
    }
    printSeats(await seatkit.usage('acme'));
    await printUsers(baseUrl, token);
    if (failed > 0) {
      console.error(`\n${failed} recorded step(s) did not give the recorded answer.`);
      process.exitCode = 1;
    }
  }

  if (once) {
    server.close();
    await storage.close();
    return;
  }
  console.log(`\nseatkit demo serving SCIM 2.0 at ${baseUrl}`);
  console.log(`Bearer token: ${token}`);
  console.log(`Database: ${dbFile}`);
  console.log(`Seat usage: http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/seats   (Ctrl-C to stop)`);
  const stop = () => server.close(() => void storage.close().finally(() => process.exit(0)));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
