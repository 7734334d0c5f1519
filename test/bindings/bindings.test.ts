import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StorageUnavailableError, createSeatkit, memoryStorage, type Seatkit, type StorageAdapter } from 'seatkit';
import { scimMiddleware } from 'seatkit/express';
import { scimHandler } from 'seatkit/hono';
import { scimRouteHandlers } from 'seatkit/next';
import {
  ERROR_SCHEMA_URN,
  USER_SCHEMA_URN,
  expectScimJson,
  lifecyclePolicy,
  lifecycleTenant,
  readResponse,
  runLifecycle,
  sendThrough,
} from '../support/lifecycle';

const TOKEN = 'bindings-token';

const freshSeatkit = async (storage: StorageAdapter = memoryStorage(), onError: (error: unknown) => void = () => {}) => {
  const seatkit = createSeatkit({ storage, policy: lifecyclePolicy, onError });
  await seatkit.tenants.put(lifecycleTenant('acme', TOKEN));
  return seatkit;
};

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

const listen = async (server: Server): Promise<string> => {
  if (!server.listening) await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  closers.push(() => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const expressOrigin = async (app: express.Express) => listen(app.listen(0, '127.0.0.1'));

const honoOrigin = async (seatkit: Seatkit) => {
  const app = new Hono();
  app.all('/scim/v2/*', scimHandler(seatkit));
  return listen(serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server);
};

const nextCall = (seatkit: Seatkit) => {
  const handlers = scimRouteHandlers(seatkit);
  return (request: Request) => {
    const method = request.method.toUpperCase() as keyof typeof handlers;
    const handler = handlers[method];
    if (!handler) throw new Error(`The Next route exports no ${method} handler`);
    return handler(request);
  };
};

describe('the IdP lifecycle through every binding', () => {
  it('runs through the raw seatkit.handle with web Requests', async () => {
    const seatkit = await freshSeatkit();
    const ids = await runLifecycle(sendThrough((r) => seatkit.handle(r), 'http://localhost/scim/v2', TOKEN), {
      baseUrl: 'http://localhost/scim/v2',
    });
    expect(await seatkit.getLicense('acme', ids.userB)).toMatchObject({ tier: 'standard', status: 'assigned' });
    expect(await seatkit.getLicense('acme', ids.userA)).toBeNull();
  });

  it('runs through an Express 5 app over real HTTP with the middleware at /scim/v2', async () => {
    const seatkit = await freshSeatkit();
    const app = express();
    app.use('/scim/v2', scimMiddleware(seatkit));
    const base = `${await expressOrigin(app)}/scim/v2`;
    await runLifecycle(sendThrough((r) => fetch(r), base, TOKEN), { baseUrl: base });
    expect(await seatkit.usage('acme')).toEqual([
      { tier: 'standard', limit: 1, assigned: 1, pending: 0, available: 0, releasing: 0, over: 0, billable: true, features: [] },
      { tier: 'pro', limit: 1, assigned: 0, pending: 0, available: 1, releasing: 0, over: 0, billable: true, features: [] },
    ]);
  });

  it('runs through Express when express.json has already parsed the body and seatkit is mounted at another path', async () => {
    const seatkit = await freshSeatkit();
    const app = express();
    app.use(express.json({ type: ['application/json', 'application/scim+json'] }));
    // Records, for each request with a body, that the body parser really consumed it first.
    const parsedFirst: boolean[] = [];
    app.use((req, _res, next) => {
      if (req.method !== 'GET' && req.method !== 'DELETE') parsedFirst.push(typeof req.body === 'object' && req.readableEnded);
      next();
    });
    app.use('/api/tenants/scim', scimMiddleware(seatkit));
    const base = `${await expressOrigin(app)}/api/tenants/scim`;
    await runLifecycle(sendThrough((r) => fetch(r), base, TOKEN), { baseUrl: base });
    expect(parsedFirst.length).toBeGreaterThan(0);
    expect(parsedFirst.every(Boolean)).toBe(true);
  });

  it('leaves the rest of an Express app alone: paths outside the mount point fall through to the next handler', async () => {
    const seatkit = await freshSeatkit();
    const app = express();
    app.use('/scim/v2', scimMiddleware(seatkit));
    app.get('/health', (_req, res) => { res.json({ ok: true }); });
    const origin = await expressOrigin(app);
    const health = await fetch(`${origin}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
  });

  it('runs through a Hono app served over real HTTP by @hono/node-server', async () => {
    const seatkit = await freshSeatkit();
    const base = `${await honoOrigin(seatkit)}/scim/v2`;
    await runLifecycle(sendThrough((r) => fetch(r), base, TOKEN), { baseUrl: base });
  });

  it('runs through the Next route handlers called with web Requests, dispatched by method name', async () => {
    const seatkit = await freshSeatkit();
    await runLifecycle(sendThrough(nextCall(seatkit), 'http://localhost/scim/v2', TOKEN), { baseUrl: 'http://localhost/scim/v2' });
  });

  it('answers HEAD as GET without a body through every binding', async () => {
    const seatkit = await freshSeatkit();
    const app = express();
    app.use('/scim/v2', scimMiddleware(seatkit));
    const bindings: [string, (request: Request) => Promise<Response>, string][] = [
      ['handle', (r) => seatkit.handle(r), 'http://localhost/scim/v2'],
      ['express', (r) => fetch(r), `${await expressOrigin(app)}/scim/v2`],
      ['hono', (r) => fetch(r), `${await honoOrigin(seatkit)}/scim/v2`],
      ['next', nextCall(seatkit), 'http://localhost/scim/v2'],
    ];
    const created = await readResponse(await seatkit.handle(new Request('http://localhost/scim/v2/Users', {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' }, body: JSON.stringify({ userName: 'head@example.com' }),
    })));
    for (const [name, call, base] of bindings) {
      for (const path of [`/Users/${created.body.id}`, '/Users']) {
        const request = (method: string) => new Request(`${base}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
        const get = await call(request('GET'));
        const head = await call(request('HEAD'));
        expect([name, path, head.status]).toEqual([name, path, 200]);
        expect(await head.text()).toBe('');
        expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
        expect(head.headers.get('content-type')).toMatch(/^application\/scim\+json/);
      }
    }
  });

  it('gives each seatkit instance its own tenant data: a lifecycle on one leaves another untouched', async () => {
    const first = await freshSeatkit();
    const second = await freshSeatkit();
    await runLifecycle(sendThrough((r) => first.handle(r), 'http://localhost/scim/v2', TOKEN));
    const list = await readResponse(await second.handle(new Request('http://localhost/scim/v2/Users', { headers: { authorization: `Bearer ${TOKEN}` } })));
    expect(list.status).toBe(200);
    expect(list.body.totalResults).toBe(0);
  });
});

/** A storage adapter that throws from every call while `failing` is set. */
const flakyStorage = () => {
  const inner = memoryStorage();
  const state = { failing: false };
  const guard = <A extends unknown[], R>(name: string, call: (...args: A) => R) => (...args: A): R => {
    if (state.failing) throw new Error(`storage exploded in ${name}`);
    return call(...args);
  };
  const storage: StorageAdapter = {
    findTenantByTokenHash: (hash) => inner.findTenantByTokenHash(hash),
    getTenant: (id) => inner.getTenant(id),
    putTenant: (t) => inner.putTenant(t),
    addToken: (id, hash) => inner.addToken(id, hash),
    revokeToken: (hash) => inner.revokeToken(hash),
    read: (tenantId, work) => inner.read(tenantId, guard('read', work)),
    write: guard('write', (tenantId, work) => inner.write(tenantId, work)),
    close: () => inner.close(),
  };
  return { storage, state };
};

const expectInternalError = (response: { status: number; body: any; headers: Headers }) => {
  expect(response.status).toBe(500);
  expectScimJson(response);
  expect(response.body.schemas).toEqual([ERROR_SCHEMA_URN]);
  expect(response.body.status).toBe('500');
  expect(typeof response.body.detail).toBe('string');
  expect(response.body.detail.length).toBeGreaterThan(0);
  // The fault's own message is for the host's logs, not the IdP.
  expect(response.body.detail).not.toContain('exploded');
};

describe('faults inside the storage adapter', () => {
  it('a storage write that throws becomes a 500 SCIM error and later requests still work', async () => {
    const { storage, state } = flakyStorage();
    const seatkit = await freshSeatkit(storage);
    const send = sendThrough((r) => seatkit.handle(r), 'http://localhost/scim/v2', TOKEN);

    state.failing = true;
    expectInternalError(await send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: 'x@y.example' }));
    expectInternalError(await send('GET', '/Users'));
    state.failing = false;

    const after = await send('GET', '/Users');
    expect(after.status).toBe(200);
    expect(after.body.totalResults).toBe(0);
    const created = await send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: 'x@y.example' });
    expect(created.status).toBe(201);
  });

  it('a storage fault that becomes a 500 is reported to onError with the thrown error', async () => {
    const { storage, state } = flakyStorage();
    const onError = vi.fn();
    const seatkit = await freshSeatkit(storage, onError);
    const send = sendThrough((r) => seatkit.handle(r), 'http://localhost/scim/v2', TOKEN);
    state.failing = true;
    expectInternalError(await send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: 'x@y.example' }));
    // SeatkitOptions.onError is documented as receiving "Faults that become 500 responses":
    // without it the host never learns why its IdP got a 500.
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'storage exploded in write' }));
  });

  it('StorageUnavailableError from the adapter becomes 503 with retry-after, so the IdP retries', async () => {
    const inner = memoryStorage();
    let down = false;
    const seatkit = await freshSeatkit({
      ...inner,
      read: (tenantId, work) => (down ? Promise.reject(new StorageUnavailableError('db down')) : inner.read(tenantId, work)),
    });
    down = true;
    const response = await readResponse(await seatkit.handle(new Request('http://localhost/scim/v2/Users', { headers: { authorization: `Bearer ${TOKEN}` } })));
    expect(response.status).toBe(503);
    expectScimJson(response);
    expect(response.body).toMatchObject({ schemas: [ERROR_SCHEMA_URN], status: '503' });
    expect(response.headers.get('retry-after')).not.toBeNull();
  });

  it('a token lookup that throws becomes a 500, not a rejected promise', async () => {
    const inner = memoryStorage();
    const storage: StorageAdapter = { ...inner, findTenantByTokenHash: async () => { throw new Error('storage exploded'); } };
    const seatkit = await freshSeatkit(storage);
    const response = await seatkit.handle(new Request('http://localhost/scim/v2/Users', { headers: { authorization: `Bearer ${TOKEN}` } }));
    expectInternalError(await readResponse(response));
  });

  it('a storage adapter that throws synchronously (not a rejected promise) still becomes a 500', async () => {
    const inner = memoryStorage();
    let failing = false;
    const seatkit = await freshSeatkit({
      ...inner,
      read: (tenantId, work) => {
        if (failing) throw new Error('storage exploded synchronously');
        return inner.read(tenantId, work);
      },
      write: (tenantId, work) => {
        if (failing) throw new Error('storage exploded synchronously');
        return inner.write(tenantId, work);
      },
    });
    failing = true;
    const send = sendThrough((r) => seatkit.handle(r), 'http://localhost/scim/v2', TOKEN);
    expectInternalError(await send('GET', '/Users'));
    expectInternalError(await send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: 'x@y.example' }));
  });

  it('a license policy that throws becomes a 500 and stores nothing', async () => {
    const storage = memoryStorage();
    const seatkit = createSeatkit({ storage, policy: { decideTier: () => { throw new Error('policy exploded'); } }, onError: () => {} });
    await seatkit.tenants.put(lifecycleTenant('acme', TOKEN));
    const send = sendThrough((r) => seatkit.handle(r), 'http://localhost/scim/v2', TOKEN);
    expectInternalError(await send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: 'x@y.example' }));
    expect((await send('GET', '/Users')).body.totalResults).toBe(0);
  });

  it('the handler resolves with 400 invalidSyntax when the request body stream breaks (the client went away)', async () => {
    const seatkit = await freshSeatkit();
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('connection reset'));
      },
    });
    const request = new Request('http://localhost/scim/v2/Users', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
      body,
      duplex: 'half',
    } as RequestInit);
    const response = await seatkit.handle(request);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { schemas: unknown; scimType: string })).toMatchObject({ schemas: [ERROR_SCHEMA_URN], scimType: 'invalidSyntax' });
  });

  it('over Express, a failing storage answers 500 with a SCIM body and the server keeps serving', async () => {
    const { storage, state } = flakyStorage();
    const seatkit = await freshSeatkit(storage);
    const app = express();
    app.use('/scim/v2', scimMiddleware(seatkit));
    const base = `${await expressOrigin(app)}/scim/v2`;
    const send = sendThrough((r) => fetch(r), base, TOKEN);

    state.failing = true;
    expectInternalError(await send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: 'x@y.example' }));
    state.failing = false;
    const created = await send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: 'x@y.example' });
    expect(created.status).toBe(201);
  });

  it('over Hono, a failing storage answers 500 with a SCIM body and the server keeps serving', async () => {
    const { storage, state } = flakyStorage();
    const seatkit = await freshSeatkit(storage);
    const base = `${await honoOrigin(seatkit)}/scim/v2`;
    const send = sendThrough((r) => fetch(r), base, TOKEN);

    state.failing = true;
    expectInternalError(await send('GET', '/Users'));
    state.failing = false;
    expect((await send('GET', '/Users')).status).toBe(200);
  });
});
