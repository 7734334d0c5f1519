import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { transition, type Contract, type LicenseEvent, type LicenseState } from 'seatkit';

const at = '2026-03-01T00:00:00.000Z';
const withSeats = (seats: number): Contract => ({ tiers: [{ key: 't', seats }] });

const run = (state: LicenseState, event: LicenseEvent) => {
  const result = transition(state, event);
  if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
  return result.right;
};

const tierSignals = (effects: readonly { type: string }[]) => effects.filter((e) => !('userId' in e));

describe('tier signals follow the seat limit as well as the seats held', () => {
  it('a seat cut below the holders starts an overage, and releases that bring them back under end it', () => {
    let state: LicenseState = { contract: withSeats(3), phase: 'active', seq: 0, counts: new Map(), assignments: new Map() };
    for (const userId of ['a', 'b', 'c']) state = run(state, { kind: 'userActive', userId, wantedTier: 't', at }).state;
    const cut = run(state, { kind: 'contractChanged', contract: withSeats(1), at });
    expect(tierSignals(cut.effects)).toEqual([{ type: 'license.overage_started', tier: 't', seats: 1, held: 3 }]);
    const one = run(cut.state, { kind: 'userDeleted', userId: 'a', at });
    expect(tierSignals(one.effects)).toEqual([]);
    const two = run(one.state, { kind: 'userDeleted', userId: 'b', at });
    expect(tierSignals(two.effects)).toEqual([{ type: 'license.overage_ended', tier: 't', seats: 1, held: 1 }]);
  });

  it('more seats for an over tier end the overage; a cut that leaves room says nothing', () => {
    let state: LicenseState = { contract: withSeats(2), phase: 'active', seq: 0, counts: new Map(), assignments: new Map() };
    for (const userId of ['a', 'b']) state = run(state, { kind: 'userActive', userId, wantedTier: 't', at }).state;
    const over = run(state, { kind: 'contractChanged', contract: withSeats(1), at }).state;
    const grown = run(over, { kind: 'contractChanged', contract: withSeats(5), at });
    expect(tierSignals(grown.effects)).toEqual([{ type: 'license.overage_ended', tier: 't', seats: 5, held: 2 }]);
    expect(tierSignals(run(grown.state, { kind: 'contractChanged', contract: withSeats(4), at }).effects)).toEqual([]);
  });
});
