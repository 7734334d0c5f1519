/**
 * A license policy that stops inside the unit of work (the tenant's lock held, its reads done) until
 * the test lets it go, so a test can act on the database while a write is in flight.
 */
import type { LicensePolicy } from 'seatkit';

export const gatedPolicy = () => {
  let entered: () => void = () => undefined;
  let release: () => void = () => undefined;
  let gate: Promise<void> | null = null;
  const policy: LicensePolicy = {
    decideTier: async () => {
      if (gate) {
        entered();
        await gate;
      }
      return { tier: 'standard', reason: 'everyone' };
    },
  };
  return {
    policy,
    /** Arms the gate; resolves once a request is waiting at it. */
    arm: () => {
      gate = new Promise((r) => { release = r; });
      return new Promise<void>((r) => { entered = r; });
    },
    open: () => {
      gate = null;
      release();
    },
  };
};
