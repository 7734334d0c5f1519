import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, rulePolicy, type StorageAdapter } from 'seatkit';

const LICENSE = 'urn:seatkit:scim:schemas:extension:license:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const TOKEN = 'seat-gate-token';
const LIMITS: Record<string, number> = { standard: 2, pro: 1 };
const NAMES = ['ann', 'bo', 'cat', 'dov'];

type Op =
  | { kind: 'createUser'; name: string; pro: boolean; active: boolean }
  | { kind: 'setActive'; name: string; value: boolean | 'True' | 'False' }
  | { kind: 'setRole'; name: string; pro: boolean }
  | { kind: 'deleteUser'; name: string }
  | { kind: 'createGroup'; members: string[] }
  | { kind: 'addMember'; name: string }
  | { kind: 'removeMember'; name: string }
  | { kind: 'deleteGroup' }
  | { kind: 'invalid'; variant: number; name: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('createUser' as const), name: fc.constantFrom(...NAMES), pro: fc.boolean(), active: fc.constantFrom(true, true, true, false) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('setActive' as const), name: fc.constantFrom(...NAMES), value: fc.constantFrom(true, false, 'True' as const, 'False' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('setRole' as const), name: fc.constantFrom(...NAMES), pro: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteUser' as const), name: fc.constantFrom(...NAMES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('createGroup' as const), members: fc.subarray(NAMES) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('addMember' as const), name: fc.constantFrom(...NAMES) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('removeMember' as const), name: fc.constantFrom(...NAMES) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'deleteGroup' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('invalid' as const), variant: fc.integer({ min: 0, max: 6 }), name: fc.constantFrom(...NAMES) }) },
);

const setup = async () => {
  const storage: StorageAdapter = memoryStorage();
  const seatkit = createSeatkit({
    storage,
    policy: rulePolicy({ defaultTier: 'standard', rules: [{ when: { role: 'pro' }, tier: 'pro' }, { when: { group: 'Pro Users' }, tier: 'pro' }] }),
  });
  await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: LIMITS.standard! }, { key: 'pro', seats: LIMITS.pro! }] }, tokens: [TOKEN] });
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await seatkit.handle(new Request(`http://localhost/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }));
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  return { seatkit, send };
};

type Send = Awaited<ReturnType<typeof setup>>['send'];

const snapshot = async (send: Send) => [await send('GET', '/Users?count=1000'), await send('GET', '/Groups?count=1000')];

describe('the seat gate behind the HTTP handler', () => {
  it('keeps seats within limits, licenses every active user as the policy says, and fails requests without a trace', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
        const { seatkit, send } = await setup();
        const ids = new Map<string, string>();
        let groupId: string | null = null;
        const patchUser = (name: string, Operations: unknown[]) => send('PATCH', `/Users/${ids.get(name)}`, { schemas: [PATCH], Operations });

        for (const op of ops) {
          const id = 'name' in op ? ids.get(op.name) : undefined;
          switch (op.kind) {
            case 'createUser': {
              const r = await send('POST', '/Users', { userName: `${op.name}@x.example`, active: op.active, ...(op.pro ? { roles: [{ value: 'Pro' }] } : {}) });
              if (ids.has(op.name)) expect(r.status).toBe(409);
              else {
                expect(r.status).toBe(201);
                ids.set(op.name, r.body.id);
              }
              break;
            }
            case 'setActive':
              if (id) expect((await patchUser(op.name, [{ op: 'Replace', path: 'active', value: op.value }])).status).toBe(200);
              break;
            case 'setRole':
              if (id) {
                const r = await patchUser(op.name, op.pro ? [{ op: 'add', path: 'roles', value: [{ value: 'pro' }] }] : [{ op: 'remove', path: 'roles[value eq "Pro"]' }]);
                expect(r.status).toBe(200);
              }
              break;
            case 'deleteUser':
              if (id) {
                expect((await send('DELETE', `/Users/${id}`)).status).toBe(204);
                ids.delete(op.name);
              }
              break;
            case 'createGroup':
              if (!groupId) {
                const members = op.members.flatMap((n) => (ids.has(n) ? [{ value: ids.get(n) }] : []));
                const r = await send('POST', '/Groups', { displayName: 'Pro Users', members });
                expect(r.status).toBe(201);
                groupId = r.body.id;
              }
              break;
            case 'addMember':
            case 'removeMember':
              if (groupId && id) {
                const operation = op.kind === 'addMember'
                  ? { op: 'add', path: 'members', value: [{ value: id }] }
                  : { op: 'remove', path: `members[value eq "${id}"]` };
                expect((await send('PATCH', `/Groups/${groupId}`, { schemas: [PATCH], Operations: [operation] })).status).toBe(204);
              }
              break;
            case 'deleteGroup':
              if (groupId) {
                expect((await send('DELETE', `/Groups/${groupId}`)).status).toBe(204);
                groupId = null;
              }
              break;
            case 'invalid': {
              const before = await snapshot(send);
              const target = id ?? 'no-such-id';
              const bad = [
                () => send('POST', '/Users', '{"userName": '),
                () => send('POST', '/Users', { displayName: 'no userName' }),
                () => send('PATCH', `/Users/${target}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }, { op: 'replace', path: 'nosuch', value: 1 }] }),
                () => send('PATCH', `/Users/${target}`, { schemas: [PATCH], Operations: [{ op: 'remove' }] }),
                () => send('GET', '/Users?filter=userName%20eq'),
                () => send('POST', '/Groups', { displayName: 'Pro Users', members: [{ value: 'not-a-user' }] }),
                () => send('PATCH', `/Users/${target}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: 'maybe' }] }),
              ][op.variant]!;
              const r = await bad();
              expect(r.status).toBeGreaterThanOrEqual(400);
              expect(r.status).toBeLessThan(500);
              expect(await snapshot(send)).toEqual(before);
              break;
            }
          }

          // After every request: the invariants, read back through the handler and the host API.
          const { body: list } = await send('GET', '/Users?count=1000');
          const usage = await seatkit.usage('t');
          for (const tier of usage) {
            expect(tier.assigned).toBeLessThanOrEqual(tier.limit!);
            if (tier.assigned < tier.limit!) expect(tier.pending).toBe(0);
          }
          for (const user of list.Resources as Record<string, unknown>[]) {
            const license = user[LICENSE] as { tier: string; status: string };
            const roles = (user.roles as { value: string }[] | undefined) ?? [];
            const groups = (user.groups as { display: string }[] | undefined) ?? [];
            const wants = roles.some((r) => r.value.toLowerCase() === 'pro') || groups.some((g) => g.display === 'Pro Users') ? 'pro' : 'standard';
            if (user.active === false) expect(license.status).toBe('released');
            else {
              expect(['assigned', 'pending']).toContain(license.status);
              expect(license.tier).toBe(wants);
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
