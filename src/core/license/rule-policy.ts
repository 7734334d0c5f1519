/**
 * The built-in rule policy: a user wants the highest-ranked tier among the rules it matches, or
 * the default tier when it matches none.
 */
import * as z from 'zod';
import { compareValue } from '../filter/evaluate-filter';
import { isObject, type Json } from '../schema/canonicalize';
import { resolveAttribute } from '../schema/resolve-path';
import { valuesIn } from '../filter/evaluate-filter';
import type { LicensePolicy, PolicyInput, TierDecision } from '../../ports/license-policy';
import { tierRank } from './contract';

const conditionSchema = z.union([
  z.object({ role: z.string().min(1) }).strict(),
  z.object({ group: z.string().min(1) }).strict(),
  z.object({ entitlement: z.string().min(1) }).strict(),
  z.object({ attribute: z.string().min(1), equals: z.union([z.string(), z.number(), z.boolean()]) }).strict(),
]);

export const ruleSchema = z.object({
  tier: z.string().min(1),
  when: conditionSchema,
  /** With `resolve: 'priority'`, the matching rule with the highest priority wins (default 0). */
  priority: z.number().optional(),
});

export const rulePolicyOptionsSchema = z.object({
  defaultTier: z.string().min(1),
  rules: z.array(ruleSchema).default([]),
  /** How to choose among matching rules: the highest-ranked tier (default), or the highest rule priority. */
  resolve: z.enum(['highestRank', 'priority']).default('highestRank'),
});

export type LicenseRule = z.infer<typeof ruleSchema>;
export type RuleCondition = z.infer<typeof conditionSchema>;
export type RulePolicyOptions = z.input<typeof rulePolicyOptionsSchema>;

const sameText = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

const listValues = (user: Json, name: 'roles' | 'entitlements') =>
  (Array.isArray(user[name]) ? (user[name] as unknown[]) : []).map((item) => (isObject(item) ? item.value : item));

const describe = (condition: RuleCondition) =>
  'role' in condition ? `role '${condition.role}'`
    : 'group' in condition ? `group '${condition.group}'`
      : 'entitlement' in condition ? `entitlement '${condition.entitlement}'`
        : `${condition.attribute} = ${String(condition.equals)}`;

/** True when the user satisfies one rule condition. Roles, entitlements and group names ignore case. */
export const matchesCondition = (condition: RuleCondition, input: PolicyInput): boolean => {
  if ('role' in condition) return listValues(input.user, 'roles').some((v) => sameText(v, condition.role));
  if ('entitlement' in condition) return listValues(input.user, 'entitlements').some((v) => sameText(v, condition.entitlement));
  if ('group' in condition) return input.groups.some((g) => sameText(g.displayName, condition.group) || g.id === condition.group);
  const target = resolveAttribute(input.userType, condition.attribute);
  if (!target) return false;
  const def = target.subAttribute ?? target.attribute;
  return valuesIn(input.user)(target).some((v) => compareValue(def, 'eq', v, condition.equals));
};

/**
 * A policy from rules. Rules name tiers; when several match, the tier with the highest rank wins, or
 * with `resolve: 'priority'` the rule with the highest priority (ties go to the earlier rule).
 * @example
 * rulePolicy({ defaultTier: 'standard', rules: [{ when: { role: 'pro' }, tier: 'pro' }, { when: { group: 'Pro Users' }, tier: 'pro' }] })
 */
export const rulePolicy = (options: RulePolicyOptions): LicensePolicy => {
  const { defaultTier, rules, resolve } = rulePolicyOptionsSchema.parse(options);
  return {
    name: 'rules',
    decideTier: (input): TierDecision => {
      let best: { rule: LicenseRule; rank: number; index: number } | undefined;
      const matched: string[] = [];
      rules.forEach((rule, index) => {
        if (!matchesCondition(rule.when, input)) return;
        matched.push(`rule ${index + 1}: ${describe(rule.when)} -> '${rule.tier}'`);
        const rank = resolve === 'priority' ? rule.priority ?? 0 : tierRank(input.contract, rule.tier);
        if (!best || rank > best.rank) best = { rule, rank, index };
      });
      return best
        ? { tier: best.rule.tier, reason: `rule ${best.index + 1}: ${describe(best.rule.when)}`, matched }
        : { tier: defaultTier, reason: 'default tier', matched };
    },
  };
};
