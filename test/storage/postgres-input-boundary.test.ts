/**
 * PostgreSQL behind the endpoint, given text it cannot store: U+0000 fails a text parameter, and an
 * unpaired surrogate fails the jsonb cast that every later filter and sort of the tenant makes. Each
 * such request answered 500 (or stored a document that broke the tenant's lists); now each is
 * refused before it reaches the database, and the tenant's lists keep working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeatkit, rulePolicy, type Seatkit } from 'seatkit';
import { postgresStorage } from 'seatkit/postgres';
import type { StorageAdapter } from '../../src/ports/storage-adapter';
import { createTestDatabase, pgServerUrl, PG_SKIP_REASON } from './support/pg-test-database';

const hasServer = pgServerUrl() !== '';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe.skipIf(!hasServer)(`PostgreSQL given text it cannot store ${hasServer ? '' : PG_SKIP_REASON}`, () => {
  let database: { url: string; drop: () => Promise<void> };
  let storage: StorageAdapter;
  let seatkit: Seatkit;
  const faults: unknown[] = [];

  const send = async (method: string, path: string, body?: unknown) => {
    const response = await seatkit.handle(new Request(`http://localhost/scim/v2${path}`, {
      method,
      headers: { authorization: 'Bearer tok', 'content-type': 'application/scim+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }));
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> & { id: string; totalResults: number } };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    storage = await postgresStorage({ url: database.url, poolSize: 2 });
    seatkit = createSeatkit({ storage, policy: rulePolicy({ defaultTier: 'standard' }), onError: (e) => faults.push(e) });
    await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: 5 }] }, tokens: ['tok'] });
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it('refuses such text in any attribute, filter or member id with 400, and keeps the tenant\'s lists working', async () => {
    const ada = await send('POST', '/Users', { userName: 'ada', displayName: 'Ada' });
    expect(ada.status).toBe(201);
    const team = await send('POST', '/Groups', { displayName: 'Team', members: [{ value: ada.body.id }] });
    for (const text of ['a\u0000b', 'a\ud800', '\udc00']) {
      expect((await send('POST', '/Users', { userName: 'ben', displayName: text })).body.scimType).toBe('invalidValue');
      expect((await send('POST', '/Users', { userName: `ben${text}` })).body.scimType).toBe('invalidValue');
      expect((await send('POST', '/Users', { userName: 'ben', [ENTERPRISE]: { manager: { value: text } } })).body.scimType).toBe('invalidValue');
      expect((await send('PATCH', `/Users/${ada.body.id}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'emails', value: [{ value: text }] }] })).body.scimType).toBe('invalidValue');
      expect((await send('PATCH', `/Groups/${team.body.id}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: text }] }] })).body.scimType).toBe('invalidValue');
      expect((await send('GET', `/Users?filter=${encodeURIComponent(`userName eq ${JSON.stringify(text)}`)}`)).body.scimType).toBe('invalidFilter');
    }
    expect((await send('GET', '/Users/a%00b')).status).toBe(404);
    expect((await send('DELETE', '/Groups/%00')).status).toBe(404);
    const list = await send('GET', `/Users?filter=${encodeURIComponent('displayName pr or meta.lastModified gt "2000-01-01"')}&sortBy=meta.lastModified`);
    expect(list.status).toBe(200);
    expect(list.body.totalResults).toBe(1);
    expect((await send('GET', `/Groups?filter=${encodeURIComponent(`members[value eq "${ada.body.id}"]`)}`)).body.totalResults).toBe(1);
    expect(faults).toEqual([]);
  });
});
