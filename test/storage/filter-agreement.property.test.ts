import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStorage, type StorageAdapter, type UserRecord } from 'seatkit';
import { postgresStorage } from 'seatkit/postgres';
import { sqliteStorage } from 'seatkit/sqlite';
import { matchesFilter } from '../../src/core/filter/evaluate-filter';
import { parseFilter } from '../../src/core/filter/parse-filter';
import { userResourceType } from '../../src/core/schema/resource-type';
import { filterableUser } from '../../src/storage/shared/filterable-user';
import { createTestDatabase, pgServerUrl, query } from './support/pg-test-database';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

// Few distinct letters and mixed case, so random values collide and case rules matter.
const word = fc.stringMatching(/^[aAbBéÉ_%.]{0,4}$/);
// With and without an offset: a time without one is UTC on every side, whatever the host's zone (set below).
const instant = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.constantFrom('.000Z', '', '+01:00', '.5'))
  .map(([d, zone]) => `2026-01-0${d + 1}T1${d}:00:00${zone}`);
const zone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Asia/Kathmandu';
});
afterAll(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

const userArb = (id: string, n: number) => fc.record({
  userName: word.map((w) => `${w}${id}`),
  displayName: fc.option(word, { nil: undefined }),
  title: fc.option(word, { nil: undefined }),
  externalId: fc.option(word, { nil: undefined }),
  active: fc.boolean(),
  name: fc.option(fc.record({ givenName: word }), { nil: undefined }),
  emails: fc.option(fc.array(fc.record({ value: word, type: fc.constantFrom('work', 'home'), primary: fc.boolean() }), { maxLength: 2 }), { nil: undefined }),
  dept: fc.option(word, { nil: undefined }),
  modified: instant,
}).map(({ dept, modified, ...attrs }): UserRecord => ({
  id,
  doc: Object.fromEntries(Object.entries({ ...attrs, ...(dept !== undefined ? { [ENTERPRISE]: { department: dept } } : {}) })
    .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))),
  meta: { created: `2026-01-01T00:00:0${n}.000Z`, lastModified: modified, version: 1 },
}));

const quoted = (w: string) => JSON.stringify(w);
const stringAttr = fc.constantFrom('userName', 'displayName', 'title', 'externalId', 'name.givenName', 'emails.value', 'emails.type', 'emails', `${ENTERPRISE}:department`);
const comparison = fc.oneof(
  fc.tuple(stringAttr, fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'), word).map(([a, op, w]) => `${a} ${op} ${quoted(w)}`),
  fc.tuple(fc.constantFrom('active', 'emails.primary'), fc.constantFrom('eq', 'ne'), fc.boolean()).map(([a, op, b]) => `${a} ${op} ${b}`),
  fc.tuple(fc.constantFrom('gt', 'ge', 'lt', 'le', 'eq'), instant).map(([op, t]) => `meta.lastModified ${op} ${quoted(t)}`),
  fc.tuple(stringAttr, fc.constant('pr')).map(([a]) => `${a} pr`),
  fc.tuple(fc.constantFrom('work', 'home'), fc.boolean(), word).map(([t, p, w]) => `emails[type eq ${quoted(t)} and (primary eq ${p} or value co ${quoted(w)})]`),
);
const filterArb: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc.tuple(tie('f'), fc.constantFrom('and', 'or'), tie('f')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
    tie('f').map((a) => `not (${a})`),
  ),
})).f;

const adapters: [string, () => Promise<StorageAdapter>][] = [
  ['memory', async () => memoryStorage()],
  ['sqlite', () => sqliteStorage({ file: ':memory:' })],
];

// PostgreSQL joins when the tests have a server: one storage, emptied before each run.
let pg: { database: { url: string; drop: () => Promise<void> }; storage: StorageAdapter } | null = null;
if (pgServerUrl() !== '') {
  adapters.push(['postgres', async () => {
    if (!pg) {
      const database = await createTestDatabase();
      pg = { database, storage: await postgresStorage({ url: database.url, poolSize: 2 }) };
    } else {
      await query(pg.database.url, 'TRUNCATE seatkit_tenants, seatkit_tokens, seatkit_users, seatkit_groups, seatkit_memberships, seatkit_assignments, seatkit_seat_counts');
    }
    return { ...pg.storage, close: async () => undefined };
  }]);
  afterAll(async () => {
    await pg?.storage.close();
    await pg?.database.drop();
  });
}

describe.each(adapters)('%s adapter filters', (_, create) => {
  it('agree with the reference evaluator on random filters and random users', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }).chain((seeds) => fc.tuple(...seeds.map((_, i) => userArb(`u${i}`, i)))),
        fc.array(filterArb, { minLength: 1, maxLength: 5 }),
        async (users, filters) => {
          const storage = await create();
          try {
            await storage.putTenant({ id: 't', name: 't', contract: { tiers: [{ key: 's', seats: null }] } });
            await storage.write('t', (unit) => unit.commit({ putUsers: users }));
            for (const text of filters) {
              const tree = parseFilter(userResourceType, text);
              if (E.isLeft(tree)) throw new Error(`generated filter does not parse: ${text}`);
              const expected = users.filter((u) => matchesFilter(tree.right, filterableUser(u, [], null))).map((u) => u.id).sort();
              const page = await storage.read('t', (r) => r.listUsers({ filter: tree.right, sort: null, startIndex: 1, count: 100 }));
              expect(page.items.map((u) => u.id).sort(), text).toEqual(expected);
              expect(page.totalResults, text).toBe(expected.length);
            }
          } finally {
            await storage.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
