import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, rulePolicy } from 'seatkit';
import { scimMiddleware } from 'seatkit/express';

let server: http.Server;
let port: number;

beforeAll(async () => {
  const seatkit = createSeatkit({ storage: memoryStorage(), policy: rulePolicy({ defaultTier: 's' }), limits: { maxPayloadSize: 10_000 } });
  await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 's', seats: 5 }] }, tokens: ['edge-token'] });
  const app = express();
  app.use('/scim/v2', scimMiddleware(seatkit));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

// Raw requests: fetch would refuse the odd methods and headers these tests send.
const raw = (options: http.RequestOptions, body?: (req: http.ClientRequest) => void) =>
  new Promise<{ status: number; type: string; body: any }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body: text.startsWith('{') ? JSON.parse(text) : text });
      });
    });
    req.on('error', reject);
    if (body) body(req);
    else req.end();
  });

describe('Express binding at the edges of HTTP', () => {
  it('answers a Host header that is not a host with a SCIM response, not an HTML 500', async () => {
    for (const host of ['a b', '[::1', 'a:99999']) {
      const r = await raw({ path: '/scim/v2/Users', headers: { host, authorization: 'Bearer edge-token' } });
      expect(r.status, host).toBe(200);
      expect(r.type).toMatch(/application\/scim\+json/);
    }
  });

  it('answers TRACE with a SCIM 405', async () => {
    const r = await raw({ method: 'TRACE', path: '/scim/v2/Users', headers: { authorization: 'Bearer edge-token' } });
    expect(r.status).toBe(405);
    expect(r.body.status).toBe('405');
  });

  it('refuses a large streamed body without a token with 401, and with a token with 413, before reading it all', async () => {
    const stream = (token?: string) => raw(
      { method: 'POST', path: '/scim/v2/Users', headers: { 'content-type': 'application/scim+json', 'transfer-encoding': 'chunked', ...(token ? { authorization: `Bearer ${token}` } : {}) } },
      (req) => {
        let sent = 0;
        const chunk = Buffer.alloc(64 * 1024, 'a');
        const pump = () => {
          while (sent < 50 && req.write(chunk)) sent += 1;
          if (sent >= 50) req.end();
          else req.once('drain', pump);
        };
        req.on('error', () => undefined);
        pump();
      },
    );
    expect((await stream()).status).toBe(401);
    const tooLarge = await stream('edge-token');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.status).toBe('413');
  });
});
