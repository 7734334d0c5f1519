/**
 * The demo's one customer: a contract of 3 standard and 2 pro seats, and the rules that decide
 * who wants pro.
 */
import { rulePolicy, type TenantInput } from 'seatkit';

export const demoContract = {
  tiers: [
    { key: 'standard', seats: 3 },
    { key: 'pro', seats: 2 },
  ],
};

/** Pro for anyone holding the role `pro` (any case) or belonging to the group "Pro Users". */
export const demoPolicy = rulePolicy({
  defaultTier: 'standard',
  rules: [
    { when: { role: 'pro' }, tier: 'pro' },
    { when: { group: 'Pro Users' }, tier: 'pro' },
  ],
});

export const demoTenant = (token: string): TenantInput => ({
  id: 'acme',
  name: 'Acme Corp',
  contract: demoContract,
  tokens: [token],
});
