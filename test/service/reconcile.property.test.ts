/**
 * Reconciliation: `plan` predicts `apply` exactly, `apply` is idempotent, nobody holding a seat is
 * evicted by a seat cut, every active user ends with a license for the tier the policy now wants,
 * and with seats for everyone the result is the one a fresh tenant reaches by replaying the users.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, rulePolicy, type Contract, type LicensePolicy } from 'seatkit';
import { sendThrough } from '../support/lifecycle';

const ROLES = ['dev', 'ops', 'exec'] as const;

const oldPolicy = rulePolicy({ defaultTier: 'basic', rules: [{ when: { role: 'dev' }, tier: 'pro' }] });
const newPolicy = rulePolicy({ defaultTier: 'basic', rules: [{ when: { role: 'ops' }, tier: 'pro' }, { when: { role: 'exec' }, tier: 'enterprise' }] });

const contractOf = (basic: number | null, pro: number | null, enterprise: number | null): Contract => ({
  tiers: [{ key: 'basic', seats: basic }, { key: 'pro', seats: pro }, { key: 'enterprise', seats: enterprise }],
});

interface Person { roles: (typeof ROLES)[number][]; active: boolean }

const peopleArb = fc.array(fc.record({ roles: fc.subarray([...ROLES]), active: fc.boolean() }), { minLength: 1, maxLength: 14 });
const seatsArb = fc.option(fc.integer({ min: 0, max: 4 }), { nil: null });

const provision = async (policy: LicensePolicy, contract: Contract, people: readonly Person[]) => {
  const seatkit = createSeatkit({ storage: memoryStorage(), policy, generateId: (() => { let n = 0; return () => `id-${String(++n).padStart(4, '0')}`; })() });
  await seatkit.tenants.put({ id: 't', contract, tokens: ['tok'] });
  const send = sendThrough((r) => seatkit.handle(r), 'http://localhost/scim/v2', 'tok');
  const ids: string[] = [];
  for (const [i, p] of people.entries()) {
    const created = await send('POST', '/Users', { userName: `user${i}`, active: p.active, roles: p.roles.map((value) => ({ value })) });
    ids.push(created.body.id);
  }
  return { seatkit, ids };
};

const licenses = async (seatkit: ReturnType<typeof createSeatkit>, ids: readonly string[]) =>
  Promise.all(ids.map(async (id) => {
    const l = await seatkit.getLicense('t', id);
    return l ? `${l.status} ${l.tier}` : 'none';
  }));

const wantedBy = (p: Person) => (p.roles.includes('exec') ? 'enterprise' : p.roles.includes('ops') ? 'pro' : 'basic');

describe('reconciliation', () => {
  it('plan predicts apply, apply is idempotent, holders stay, and everyone active ends up with the tier the new policy wants', async () => {
    await fc.assert(fc.asyncProperty(peopleArb, seatsArb, seatsArb, seatsArb, seatsArb, async (people, basic, pro, enterprise, cut) => {
      const { seatkit, ids } = await provision(oldPolicy, contractOf(basic, pro, enterprise), people);
      const before = await licenses(seatkit, ids);
      const contract = contractOf(cut, pro, enterprise);
      const plan = await seatkit.licenses.plan('t', { contract, policy: newPolicy });
      // A plan writes nothing.
      expect(await licenses(seatkit, ids)).toEqual(before);

      const applied = await seatkit.licenses.apply('t', { contract, policy: newPolicy });
      expect(applied.changes).toEqual(plan.changes);
      expect(applied.counts).toEqual(plan.counts);
      const after = await licenses(seatkit, ids);
      for (const change of plan.changes) {
        const i = ids.indexOf(change.userId);
        expect(after[i]).toBe(change.to ? `${change.to.status} ${change.to.tier}` : 'none');
      }
      // Idempotent.
      expect((await seatkit.licenses.plan('t', { policy: newPolicy })).changes).toEqual([]);

      people.forEach((p, i) => {
        const [status, tier] = after[i]!.split(' ');
        if (!p.active) {
          expect(after[i] === 'none' || status === 'released').toBe(true);
          return;
        }
        // Nobody keeping its tier loses its seat to a seat cut.
        if (before[i] === `assigned ${wantedBy(p)}`) expect(after[i]).toBe(before[i]);
        expect(tier).toBe(wantedBy(p));
        expect(['assigned', 'pending']).toContain(status);
      });
    }), { numRuns: 60 });
  });

  it('with seats for everyone, reconciling reaches what a fresh tenant reaches by replaying the users under the new policy', async () => {
    await fc.assert(fc.asyncProperty(peopleArb, async (people) => {
      const unlimited = contractOf(null, null, null);
      const { seatkit, ids } = await provision(oldPolicy, unlimited, people);
      await seatkit.licenses.apply('t', { policy: newPolicy });
      const fresh = await provision(newPolicy, unlimited, people);
      const strip = (ls: string[]) => ls.map((l) => (l === 'none' ? 'released' : l.split(' ')[0] === 'released' ? 'released' : l));
      expect(strip(await licenses(seatkit, ids))).toEqual(strip(await licenses(fresh.seatkit, fresh.ids)));
    }), { numRuns: 40 });
  });
});
