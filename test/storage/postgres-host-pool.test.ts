/**
 * `postgresStorage({ pool })`: seatkit works on the host's own pg pool and gives it back as it was.
 * SCIM writes go through it; `close()` leaves it open and usable; seatkit leaves no listener on the
 * pool or on its connections, so the host's own `error` handling is the only one.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeatkit, rulePolicy } from 'seatkit';
import { postgresStorage } from 'seatkit/postgres';
import { createTestDatabase, pgServerUrl, PG_SKIP_REASON } from './support/pg-test-database';

const hasServer = pgServerUrl() !== '';
const TOKEN = 'host-pool-token';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const MAX = 3;

describe.skipIf(!hasServer)(`PostgreSQL on the host's pool ${hasServer ? '' : PG_SKIP_REASON}`, () => {
  let database: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  // Every connection the pool can hold, checked out at once: their `error` listener counts.
  const connectionListeners = async (pool: pg.Pool): Promise<number[]> => {
    const clients = await Promise.all(Array.from({ length: MAX }, () => pool.connect()));
    const counts = clients.map((c) => c.listenerCount('error'));
    for (const c of clients) c.release();
    return counts;
  };

  it('serves SCIM writes through the host pool and leaves it open, usable and without seatkit\'s listeners', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: MAX });
    const hostErrors: unknown[] = [];
    pool.on('error', (error) => hostErrors.push(error));
    try {
      const poolListeners = { error: pool.listenerCount('error'), connect: pool.listenerCount('connect') };
      const before = await connectionListeners(pool);

      const storage = await postgresStorage({ pool, schema: 'hosted' });
      // While open too: the host's pool errors reach the host alone.
      expect(pool.listenerCount('error')).toBe(poolListeners.error);
      expect(pool.listenerCount('connect')).toBe(poolListeners.connect);
      const seatkit = createSeatkit({ storage, policy: rulePolicy({ defaultTier: 'standard' }) });
      await seatkit.tenants.put({ id: 'acme', contract: { tiers: [{ key: 'standard', seats: 5 }] }, tokens: [TOKEN] });
      const send = async (method: string, path: string, body?: unknown) => {
        const response = await seatkit.handle(new Request(`http://localhost/scim/v2${path}`, {
          method,
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        }));
        const text = await response.text();
        return { status: response.status, body: (text ? JSON.parse(text) : null) as { id: string; totalResults?: number; members?: unknown[] } };
      };
      const ada = await send('POST', '/Users', { userName: 'ada@acme.example' });
      const grace = await send('POST', '/Users', { userName: 'grace@acme.example' });
      expect([ada.status, grace.status]).toEqual([201, 201]);
      const team = await send('POST', '/Groups', { displayName: 'Team', members: [{ value: ada.body.id }] });
      expect(team.status).toBe(201);
      expect((await send('PATCH', `/Groups/${team.body.id}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: grace.body.id }] }] })).status).toBe(204);
      expect((await send('GET', `/Groups/${team.body.id}`)).body.members).toHaveLength(2);
      expect((await seatkit.usage('acme'))[0]).toMatchObject({ assigned: 2 });
      await storage.close();

      expect((await pool.query<{ n: string }>('SELECT count(*) AS n FROM hosted.seatkit_users')).rows[0]!.n).toBe('2');
      expect(pool.listenerCount('error')).toBe(poolListeners.error);
      expect(pool.listenerCount('connect')).toBe(poolListeners.connect);
      expect(await connectionListeners(pool)).toEqual(before);
      expect(hostErrors).toEqual([]);
    } finally {
      await pool.end();
    }
  });
});
