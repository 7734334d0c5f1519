/**
 * Customer stories, told the way a customer would tell them, run end to end through the SCIM endpoint
 * with a clock the test moves.
 */
import { describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, rulePolicy, type Contract, type LicenseEffect } from 'seatkit';
import { PATCH_OP, sendThrough } from '../support/lifecycle';

const DAY = 24 * 3600_000;

const story = async (contract: Contract, start: string) => {
  let now = Date.parse(start);
  const effects: LicenseEffect[] = [];
  const seatkit = createSeatkit({
    storage: memoryStorage(),
    policy: rulePolicy({ defaultTier: 'member', rules: [{ when: { role: 'developer' }, tier: 'developer' }] }),
    clock: () => new Date(now),
    onLicenseChange: (change) => { effects.push(...change.effects); },
  });
  await seatkit.tenants.put({ id: 'acme', contract, tokens: ['tok'] });
  const send = sendThrough((r) => seatkit.handle(r), 'http://localhost/scim/v2', 'tok');
  const create = async (userName: string, roles: string[] = []) =>
    (await send('POST', '/Users', { userName, roles: roles.map((value) => ({ value })) })).body.id as string;
  const status = async (id: string) => (await seatkit.getLicense('acme', id))?.status;
  return { seatkit, send, create, status, effects, days: (n: number) => { now += n * DAY; } };
};

describe('a GitLab-like user cap with pending approval', () => {
  it('"We bought 3 seats. New people over the cap wait until an admin approves them; leavers free a seat but nobody gets it without approval."', async () => {
    const s = await story({ tiers: [{ key: 'member', seats: 3, promotion: 'manual' }, { key: 'developer', seats: null }] }, '2026-05-01T09:00:00.000Z');
    const team = [await s.create('ana'), await s.create('bo'), await s.create('cai')];
    const dee = await s.create('dee');
    const eli = await s.create('eli');
    expect(await Promise.all(team.map(s.status))).toEqual(['assigned', 'assigned', 'assigned']);
    expect([await s.status(dee), await s.status(eli)]).toEqual(['pending', 'pending']);

    // bo leaves: the seat is free, but the cap needs an admin's approval.
    await s.send('PATCH', `/Users/${team[1]}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(await s.status(dee)).toBe('pending');
    expect((await s.seatkit.usage('acme'))[0]).toMatchObject({ assigned: 2, pending: 2, available: 1 });
    expect((await s.seatkit.explain('acme', dee)).summary).toContain('waits for an admin to approve it');

    // The admin approves eli first (approval is the admin's choice, not the queue's), then has no seat for dee.
    await s.seatkit.licenses.approve('acme', eli);
    expect(await s.status(eli)).toBe('assigned');
    await expect(s.seatkit.licenses.approve('acme', dee)).rejects.toThrow("No free seat in 'member' (3/3)");
    // Developers are not capped.
    expect(await s.status(await s.create('fay', ['developer']))).toBe('assigned');
  });
});

describe('a Figma-like quarterly true-up', () => {
  it('"Seat type comes from the IdP role. We may add editors beyond the 3 we bought; at the quarter\'s end we pay for the most we ever had."', async () => {
    const contract: Contract = {
      tiers: [
        { key: 'member', seats: null, billable: false },
        { key: 'developer', seats: 3, atLimit: { mode: 'overage', factor: 2 } },
      ],
      term: { start: '2026-01-01T00:00:00.000Z', end: null },
      billingPeriod: 'quarter',
    };
    const s = await story(contract, '2026-01-05T09:00:00.000Z');
    const devs = [await s.create('ana', ['developer']), await s.create('bo', ['developer']), await s.create('cai', ['developer'])];
    await s.create('viewer');
    s.days(20);
    // Two more developers join in late January: 5 of 3 seats, inside the allowance of 6.
    const extra = [await s.create('dee', ['developer']), await s.create('eli', ['developer'])];
    expect((await s.seatkit.usage('acme'))[1]).toMatchObject({ limit: 3, assigned: 5, over: 2, pending: 0 });
    expect(s.effects).toContainEqual({ type: 'license.overage_started', tier: 'developer', seats: 3, held: 4 });
    s.days(30);
    // One leaves in late February: the high-water mark stays at 5.
    await s.send('DELETE', `/Users/${extra[1]}`);
    expect(await s.status(devs[0]!)).toBe('assigned');

    const records = await s.seatkit.metering('acme', { from: '2026-01-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' });
    const of = (meter: string, tier: string) => records.filter((r) => r.meter === meter && r.tier === tier);
    expect(of('peak_seats', 'developer')).toEqual([expect.objectContaining({ value: 5, periodStart: '2026-01-01T00:00:00.000Z', periodEnd: '2026-04-01T00:00:00.000Z', billable: true })]);
    expect(of('true_up', 'developer').map((r) => r.value)).toEqual([2]);
    expect(of('peak_seats', 'member')).toEqual([expect.objectContaining({ value: 1, billable: false })]);
    // Seat-days: 3 seats from 5 Jan, 2 more from 25 Jan, one of them gone on 24 Feb, to the end of March.
    const q1End = Date.parse('2026-04-01T00:00:00.000Z');
    const days = (from: string) => (q1End - Date.parse(from)) / DAY;
    const expected = 3 * days('2026-01-05T09:00:00.000Z') + days('2026-01-25T09:00:00.000Z') + (Date.parse('2026-02-24T09:00:00.000Z') - Date.parse('2026-01-25T09:00:00.000Z')) / DAY;
    expect(of('seat_days', 'developer')[0]!.value).toBeCloseTo(expected, 6);
  });
});

describe('a contract that expires with 14 grace days', () => {
  const contract = (onExpiry: 'restrict' | 'revoke'): Contract => ({
    tiers: [{ key: 'member', seats: 10 }, { key: 'developer', seats: 2 }],
    term: { start: '2026-01-01T00:00:00.000Z', end: '2026-06-30T00:00:00.000Z' },
    graceDays: 14,
    onExpiry,
  });

  it('"Our renewal slipped. For two weeks nothing changed; then new hires waited, but nobody lost access, and renewing let them in."', async () => {
    const s = await story(contract('restrict'), '2026-06-20T09:00:00.000Z');
    const ana = await s.create('ana');
    s.days(11); // 1 July: the term has ended, grace runs until 14 July.
    await s.seatkit.licenses.advance('acme');
    expect(s.effects).toContainEqual({ type: 'contract.expiring', end: '2026-06-30T00:00:00.000Z', graceEnds: '2026-07-14T00:00:00.000Z' });
    const bo = await s.create('bo');
    expect(await s.status(bo)).toBe('assigned');

    s.days(14); // 15 July: grace is over.
    const cai = await s.create('cai');
    expect(s.effects).toContainEqual({ type: 'contract.expired', strategy: 'restrict' });
    expect([await s.status(ana), await s.status(bo), await s.status(cai)]).toEqual(['assigned', 'assigned', 'pending']);
    expect((await s.seatkit.explain('acme', cai)).contractPhase).toBe('expired');

    // The renewal arrives: the queue is served at once.
    await s.seatkit.tenants.put({ id: 'acme', contract: { ...contract('restrict'), term: { start: '2026-07-01T00:00:00.000Z', end: '2027-06-30T00:00:00.000Z' } } });
    expect(await s.status(cai)).toBe('assigned');
  });

  it('"Our contract says revoke: after grace, every seat was released at once, deactivations still worked, and the renewal gave seats back in order."', async () => {
    const s = await story(contract('revoke'), '2026-06-20T09:00:00.000Z');
    const ana = await s.create('ana');
    const dev = await s.create('dev', ['developer']);
    s.days(26);
    await s.seatkit.licenses.advance('acme');
    expect([await s.status(ana), await s.status(dev)]).toEqual(['pending', 'pending']);
    expect(s.effects.filter((e) => e.type === 'license.released')).toHaveLength(2);
    expect((await s.seatkit.usage('acme')).map((u) => u.assigned)).toEqual([0, 0]);
    const off = await s.send('PATCH', `/Users/${ana}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(off.status).toBe(200);
    expect(await s.status(ana)).toBe('released');
    const late = await s.create('late');
    expect(await s.status(late)).toBe('pending');
    await s.seatkit.tenants.put({ id: 'acme', contract: { ...contract('revoke'), term: { start: '2026-07-15T00:00:00.000Z', end: '2027-07-14T00:00:00.000Z' } } });
    expect([await s.status(dev), await s.status(late)]).toEqual(['assigned', 'assigned']);
  });
});
