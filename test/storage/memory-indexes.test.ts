import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../src/core/filter/parse-filter';
import { userResourceType } from '../../src/core/schema/resource-type';
import type { UserRecord } from '../../src/ports/storage-adapter';
import { memoryStorage } from '../../src/storage/memory/memory-storage';

// Each user's attributes count how often they are read, so a lookup that scans the tenant shows.
const counted = () => {
  let reads = 0;
  const user = (i: number): UserRecord => ({
    id: `u${i}`,
    doc: new Proxy({ userName: `User${i}@example.com`, externalId: `ext-${i}`, active: true }, {
      get: (target, key) => {
        reads += 1;
        return Reflect.get(target, key);
      },
    }),
    meta: { created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-01T00:00:00.000Z', version: 1 },
  });
  return { user, reads: () => reads, reset: () => { reads = 0; } };
};

const filter = (text: string) => {
  const parsed = parseFilter(userResourceType, text);
  if (E.isLeft(parsed)) throw new Error(text);
  return parsed.right;
};

describe('the memory adapter answers equality on userName, externalId and id from its indexes', () => {
  it.each([
    ['userName eq "user777@EXAMPLE.com"', 'u777'],
    ['externalId eq "ext-777"', 'u777'],
    ['id eq "u777"', 'u777'],
  ])('%s reads no other user', async (text, id) => {
    const storage = memoryStorage();
    await storage.putTenant({ id: 't', name: 't', contract: { tiers: [{ key: 'standard', seats: null }] } });
    const c = counted();
    await storage.write('t', (unit) => unit.commit({ putUsers: Array.from({ length: 2000 }, (_, i) => c.user(i)) }));
    c.reset();
    const page = await storage.read('t', (r) => r.listUsers({ filter: filter(text), sort: null, startIndex: 1, count: 10 }));
    expect(page.items.map((u) => u.id)).toEqual([id]);
    expect(c.reads()).toBeLessThan(10);
    // The same question asked another way scans, which the counter sees.
    c.reset();
    await storage.read('t', (r) => r.listUsers({ filter: filter(`not (not (${text}))`), sort: null, startIndex: 1, count: 10 }));
    expect(c.reads()).toBeGreaterThan(2000);
  });
});
