import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../src/core/errors/scim-error-body';
import { applyPatch } from '../../src/core/patch/apply-patch';
import { expandOperations } from '../../src/core/patch/expand-operations';
import { parsePatchRequest, PATCH_OP_SCHEMA } from '../../src/core/patch/patch-request';
import { userResourceType } from '../../src/core/schema/resource-type';
import { resourceValidator } from '../../src/core/schema/validate-resource';

const validate = resourceValidator(userResourceType);
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const start = E.getOrElseW(() => { throw new Error('fixture is invalid'); })(validate({
  userName: 'ada@example.com',
  displayName: 'Ada',
  active: true,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: 'ada@example.com', type: 'work', primary: true }, { value: 'ada@home.example', type: 'home' }],
  roles: [{ value: 'pro' }],
  [ENTERPRISE]: { department: 'R&D', manager: { value: 'm-1' } },
}));

const paths = [
  'displayName', 'active', 'title', 'userName', 'name', 'name.givenName', 'name.nosuch', 'emails', 'emails.value',
  'emails[type eq "work"]', 'emails[type eq "work"].value', 'emails[type eq "other"].value', 'emails[value co "x"]',
  'emails[primary eq true].type', 'roles', 'roles[value eq "pro"]', 'roles[value eq "PRO"]', `${ENTERPRISE}:department`,
  `${ENTERPRISE}:manager`, `${ENTERPRISE}:manager.value`, 'id', 'meta', 'groups', 'nosuch', 'emails[type eq]', 'emails[', 'name[givenName eq "x"]',
  'Emails[Type eq "work"].Value', 'urn:nosuch:schema:attr', 'password',
];

const values = fc.oneof(
  fc.string({ maxLength: 8 }), fc.boolean(), fc.constantFrom('True', 'False', 'true', ''), fc.integer(), fc.constant(null),
  fc.record({ value: fc.string({ maxLength: 5 }), type: fc.constantFrom('work', 'home'), primary: fc.boolean() }, { requiredKeys: [] }),
  fc.array(fc.record({ value: fc.string({ maxLength: 5 }), primary: fc.constantFrom(true, false, 'True') }, { requiredKeys: ['value'] }), { maxLength: 3 }),
  fc.record({ givenName: fc.string({ maxLength: 5 }), active: fc.constantFrom(true, 'False'), displayName: fc.string({ maxLength: 5 }), [ENTERPRISE]: fc.record({ department: fc.string({ maxLength: 5 }) }) }, { requiredKeys: [] }),
);

const operation = fc.record({
  op: fc.constantFrom('add', 'replace', 'remove', 'Add', 'Replace', 'Remove', 'ADD', 'move'),
  path: fc.option(fc.constantFrom(...paths), { nil: undefined }),
  value: fc.option(values, { nil: undefined }),
}, { requiredKeys: ['op'] });

const primaries = (doc: Record<string, unknown>) => ((doc.emails as { primary?: boolean }[] | undefined) ?? []).filter((e) => e.primary === true).length;

describe('PATCH engine properties', () => {
  it('never throws: random operations give a valid user or a SCIM error, and a valid result validates again unchanged', () => {
    fc.assert(fc.property(fc.array(operation, { minLength: 1, maxLength: 6 }), (operations) => {
      const result = E.flatMap(parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations: operations }), (ops) => E.flatMap(
        expandOperations(userResourceType, ops),
        (targeted) => E.flatMap(applyPatch(start, targeted), validate),
      ));
      if (E.isLeft(result)) {
        expect(ERROR_STATUS[result.left._tag].status).toBe(400);
        return;
      }
      const doc = result.right;
      expect(typeof doc.userName).toBe('string');
      expect(validate(doc)).toEqual(E.right(doc));
      expect(primaries(doc)).toBeLessThanOrEqual(1);
    }), { numRuns: 2000 });
  });

  it('leaves the input document untouched', () => {
    const before = structuredClone(start);
    fc.assert(fc.property(fc.array(operation, { minLength: 1, maxLength: 4 }), (operations) => {
      E.flatMap(parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations: operations }), (ops) =>
        E.flatMap(expandOperations(userResourceType, ops), (targeted) => applyPatch(start, targeted)));
      expect(start).toEqual(before);
    }), { numRuns: 300 });
  });
});
