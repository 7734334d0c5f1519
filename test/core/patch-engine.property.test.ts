import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../src/core/errors/scim-error-body';
import { applyPatch } from '../../src/core/patch/apply-patch';
import { expandOperations } from '../../src/core/patch/expand-operations';
import { parsePatchRequest, PATCH_OP_SCHEMA } from '../../src/core/patch/patch-request';
import { hasPrimary, isPrimary, onePrimary } from '../../src/core/quirks/one-primary';
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

// RFC 7643 §2.4: at most one primary per multi-valued attribute (quirk one-primary).
describe('one primary per multi-valued attribute', () => {
  const withPrimary = userResourceType.core.attributes.filter(hasPrimary).map((a) => a.name);
  const onePrimaryOfUser = onePrimary(userResourceType);
  const primariesPer = (doc: Record<string, unknown>) =>
    withPrimary.map((name) => ((doc[name] as unknown[] | undefined) ?? []).filter(isPrimary).length);

  const item = (value: string) => fc.record({ value: fc.constant(value), type: fc.constantFrom('work', 'home'), primary: fc.constantFrom(true, false, 'True', undefined) }, { requiredKeys: ['value'] });
  const items = (prefix: string) => fc.array(fc.nat({ max: 99 }), { maxLength: 4 }).chain((ns) => fc.tuple(...ns.map((n) => item(`${prefix}${n}`))));
  const body = fc.record({
    emails: items('e'), phoneNumbers: items('+1 555 01'), roles: items('r'), entitlements: items('ent'), ims: items('im'), photos: items('https://img.example/'), x509Certificates: items('cert'),
  }).map((attributes) => ({ userName: 'ada@example.com', ...attributes }));

  const afterWrite = (doc: Record<string, unknown>) => E.map(onePrimaryOfUser)(validate(doc));
  const patched = (doc: Record<string, unknown>, operations: unknown[]) =>
    E.flatMap(parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations: operations }), (ops) => E.flatMap(
      expandOperations(userResourceType, ops),
      (targeted) => E.flatMap(applyPatch(doc, targeted), afterWrite),
    ));

  it('a created user has at most one primary per attribute: the first the body marked', () => {
    fc.assert(fc.property(body, (input) => {
      const doc = E.getOrElseW(() => { throw new Error('generated body is invalid'); })(afterWrite(input));
      for (const name of withPrimary) {
        const sent = (input as unknown as Record<string, { value: string; primary?: unknown }[] | undefined>)[name] ?? [];
        const stored = (doc[name] as { value: string; primary?: boolean }[] | undefined) ?? [];
        const firstSent = sent.find(isPrimary);
        expect(stored.filter(isPrimary).map((e) => e.value)).toEqual(firstSent ? [firstSent.value] : []);
        // Nothing but the flag changes.
        expect(stored.map((e) => e.value)).toEqual(sent.map((e) => e.value));
      }
    }), { numRuns: 500 });
  });

  it('after any PATCH sequence at most one primary remains per attribute', () => {
    const start = E.getOrElseW(() => { throw new Error('fixture is invalid'); })(validate({
      userName: 'ada@example.com',
      // Stored before the rule existed: several primaries.
      emails: [{ value: 'a@x', primary: true }, { value: 'b@x', primary: true }],
      roles: [{ value: 'pro', primary: true }, { value: 'admin', primary: true }],
    }));
    const primaryPaths = ['emails.primary', 'phoneNumbers.primary', 'roles.primary', 'emails[type eq "work"].primary', 'roles[value eq "pro"]', 'emails', 'roles', 'phoneNumbers', 'ims[type eq "home"]'];
    const primaryOperation = fc.record({
      op: fc.constantFrom('add', 'replace', 'remove'),
      path: fc.option(fc.constantFrom(...primaryPaths), { nil: undefined }),
      value: fc.oneof(fc.constantFrom(true, false, 'True'), items('v'), item('w'), fc.record({ emails: items('pe'), roles: items('pr') })),
    });
    fc.assert(fc.property(fc.array(fc.array(fc.oneof(primaryOperation, operation), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), (requests) => {
      let doc = start;
      for (const operations of requests) {
        const result = patched(doc, operations);
        if (E.isLeft(result)) continue;
        doc = result.right;
        expect(primariesPer(doc).every((n) => n <= 1)).toBe(true);
      }
    }), { numRuns: 1000 });
  });

  it('an operation that sets primary true leaves it on the last item it set', () => {
    const emails = fc.array(fc.record({ value: fc.string({ minLength: 1, maxLength: 4 }), type: fc.constantFrom('work', 'home'), primary: fc.boolean() }), { minLength: 1, maxLength: 5 })
      .map((list) => list.map((e, i) => ({ ...e, value: `${e.value}${i}` })));
    fc.assert(fc.property(emails, fc.constantFrom('emails.primary', 'emails[type eq "work"].primary'), (list, path) => {
      const doc = { userName: 'ada', emails: list };
      const result = patched(doc, [{ op: 'replace', path, value: true }]);
      const set = path === 'emails.primary' ? list : list.filter((e) => e.type === 'work');
      const stored = E.getOrElseW(() => { throw new Error('patch failed'); })(result).emails as { value?: string; type: string; primary?: boolean }[];
      const primaries = stored.filter(isPrimary);
      expect(primaries).toHaveLength(1);
      // With no work email the filter creates one, which is then the item set.
      expect(primaries[0]).toEqual(set.length > 0 ? { ...set[set.length - 1]!, primary: true } : { type: 'work', primary: true });
    }), { numRuns: 500 });
    fc.assert(fc.property(emails, emails, fc.constantFrom('add', 'replace'), (current, sent, op) => {
      const sentValues = sent.map((e) => ({ ...e, value: `new-${e.value}` }));
      const stored = E.getOrElseW(() => { throw new Error('patch failed'); })(patched({ userName: 'ada', emails: current.map((e) => ({ ...e, primary: false })) }, [{ op, path: 'emails', value: sentValues }])).emails as { value: string }[];
      const lastSet = [...sentValues].reverse().find((e) => e.primary);
      expect(stored.filter(isPrimary).map((e) => e.value)).toEqual(lastSet ? [lastSet.value] : []);
    }), { numRuns: 500 });
  });
});
