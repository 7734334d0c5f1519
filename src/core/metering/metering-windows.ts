/**
 * The windows usage is metered in: billing periods (for seat-days, peaks and true-ups) and months
 * (for monthly active users), anchored like the contract's billing periods and clipped to [from, to).
 */
import type { Contract } from '../license/contract';
import { billingPeriod } from '../license/contract-terms';

export interface Window {
  /** Epoch milliseconds, inclusive. */
  readonly start: number;
  /** Epoch milliseconds, exclusive. */
  readonly end: number;
}

const windowsOf = (periodAt: (at: string) => { start: string; end: string }, from: number, to: number): Window[] => {
  const windows: Window[] = [];
  let cursor = from;
  while (cursor < to) {
    const period = periodAt(new Date(cursor).toISOString());
    const end = Math.min(Date.parse(period.end), to);
    windows.push({ start: cursor, end });
    cursor = end;
  }
  return windows;
};

/**
 * The contract's billing periods that meet [from, to), each clipped to it.
 * @example billingWindows(contract, Date.parse('2027-01-15'), Date.parse('2027-03-01')) // 15 Jan-1 Feb, 1 Feb-1 Mar
 */
export const billingWindows = (contract: Contract, from: number, to: number): Window[] =>
  windowsOf((at) => billingPeriod(contract, at), from, to);

/** Month-long windows anchored like the billing periods (a quarterly contract still has monthly active users). */
export const monthWindows = (contract: Contract, from: number, to: number): Window[] =>
  windowsOf((at) => billingPeriod({ ...contract, billingPeriod: 'month' }, at), from, to);
