/**
 * Large groups: adding or removing one member of a 20,000-member group should cost about what it
 * costs for a 20-member group, and reading groups without members should never load them.
 *
 * Run: npx tsx bench/large-groups.bench.ts   (results go to docs/performance.md by hand)
 */
import { Bench } from 'tinybench';
import { createSeatkit, memoryStorage, rulePolicy, type StorageAdapter } from 'seatkit';
import { sqliteStorage } from 'seatkit/sqlite';

const TOKEN = 'bench-token';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const setup = async (storage: StorageAdapter, groupSizes: readonly number[]) => {
  const seatkit = createSeatkit({
    storage,
    policy: rulePolicy({ defaultTier: 'standard', rules: [{ when: { group: 'Pro Users' }, tier: 'pro' }] }),
    limits: { maxPayloadSize: 64 * 1024 * 1024 },
  });
  await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: null }, { key: 'pro', seats: null }] }, tokens: [TOKEN] });
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await seatkit.handle(new Request(`http://localhost/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }));
    if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? null : ((await response.json()) as { id: string });
  };
  const total = Math.max(...groupSizes) + 1;
  const ids: string[] = [];
  // Users arrive in one bulk per 1,000, as an initial IdP import does.
  for (let start = 0; start < total; start += 1000) {
    const operations = Array.from({ length: Math.min(1000, total - start) }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `u${start + i}`, data: { userName: `user${start + i}@example.com` } }));
    const result = (await send('POST', '/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: operations })) as unknown as { Operations: { location: string }[] };
    ids.push(...result.Operations.map((o) => o.location.split('/').pop()!));
  }
  const groups = new Map<number, string>();
  for (const size of groupSizes) {
    const group = await send('POST', '/Groups', { displayName: `Team of ${size}`, members: ids.slice(0, size).map((value) => ({ value })) });
    groups.set(size, group!.id);
  }
  return { send, groups, extra: ids[total - 1]! };
};

const main = async () => {
  const sizes = [20, 20_000];
  for (const [name, open] of [['memory', async () => memoryStorage()], ['sqlite (file)', () => sqliteStorage({ file: `/tmp/seatkit-bench-${process.pid}.sqlite` })]] as const) {
    const started = performance.now();
    const { send, groups, extra } = await setup(await open(), sizes);
    console.log(`\n${name}: ${sizes.at(-1)! + 1} users and groups of ${sizes.join(' and ')} set up in ${Math.round(performance.now() - started)} ms`);
    const bench = new Bench({ time: 1500, warmupTime: 300 });
    for (const size of sizes) {
      const id = groups.get(size)!;
      bench.add(`PATCH add + remove one member, group of ${size}`, async () => {
        await send('PATCH', `/Groups/${id}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: extra }] }] });
        await send('PATCH', `/Groups/${id}`, { schemas: [PATCH], Operations: [{ op: 'remove', path: `members[value eq "${extra}"]` }] });
      });
    }
    bench.add('GET /Groups?excludedAttributes=members (both groups)', async () => {
      await send('GET', '/Groups?excludedAttributes=members');
    });
    bench.add(`GET /Groups/{id} with members, group of ${sizes.at(-1)}`, async () => {
      await send('GET', `/Groups/${groups.get(sizes.at(-1)!)}`);
    });
    await bench.run();
    console.table(bench.table());
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
