import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStorage } from 'seatkit';
import { replayRecording, type Recording } from '../../examples/express/replay';
import { createDemoApp } from '../../examples/express/server';

const load = (name: string): Recording =>
  JSON.parse(readFileSync(new URL(`../../examples/express/recordings/${name}`, import.meta.url), 'utf8')) as Recording;

const TOKEN = 'recording-token';
let server: Server | undefined;

const start = async () => {
  const { app } = await createDemoApp({ storage: memoryStorage(), token: TOKEN });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server!.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
};

afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

const failures = (results: { step: string; problems: readonly string[] }[]) =>
  results.filter((r) => r.problems.length > 0).map((r) => `${r.step}: ${r.problems.join('; ')}`);

describe('recorded IdP sessions replayed against the Express demo over HTTP', () => {
  it('the Okta session, then the Entra session in the same tenant, give the recorded answers', async () => {
    const baseUrl = await start();
    expect(failures(await replayRecording(baseUrl, TOKEN, load('okta-session.json')))).toEqual([]);
    expect(failures(await replayRecording(baseUrl, TOKEN, load('entra-session.json')))).toEqual([]);
  });

  it('the group session gives the recorded answers on a fresh tenant', async () => {
    const baseUrl = await start();
    expect(failures(await replayRecording(baseUrl, TOKEN, load('groups-session.json')))).toEqual([]);
  });
});
