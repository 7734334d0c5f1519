import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../src/core/patch/apply-patch';
import { expandOperations } from '../../src/core/patch/expand-operations';
import { parsePatchRequest, PATCH_OP_SCHEMA } from '../../src/core/patch/patch-request';
import { userResourceType } from '../../src/core/schema/resource-type';
import { resourceValidator } from '../../src/core/schema/validate-resource';

const validate = resourceValidator(userResourceType);
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const patch = (doc: Record<string, unknown>, Operations: unknown[]) =>
  E.flatMap(parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations }), (ops) =>
    E.flatMap(expandOperations(userResourceType, ops), (targeted) => E.flatMap(applyPatch(doc, targeted), validate)));

const ada = { userName: 'ada', emails: [{ value: 'a@work', type: 'work', primary: true }, { value: 'a@home', type: 'home' }], roles: [{ value: 'Pro' }] };

const ok = (result: ReturnType<typeof patch>) => {
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left._tag}: ${result.left.detail}`);
  return result.right;
};
const tag = (result: ReturnType<typeof patch>) => (E.isLeft(result) ? result.left._tag : 'Right');

describe('PATCH operations (RFC 7644 §3.5.2)', () => {
  it('replaces a simple attribute by path, with the op name in any case', () => {
    expect(ok(patch(ada, [{ op: 'Replace', path: 'displayName', value: 'Ada L' }])).displayName).toBe('Ada L');
  });

  it('takes "False" and "True" strings for booleans, as Entra sends them', () => {
    expect(ok(patch(ada, [{ op: 'replace', path: 'active', value: 'False' }])).active).toBe(false);
    expect(ok(patch(ada, [{ op: 'replace', value: { active: 'True' } }])).active).toBe(true);
  });

  it('sets a sub-attribute through a value-path filter', () => {
    const emails = ok(patch(ada, [{ op: 'Add', path: 'emails[type eq "work"].value', value: 'new@work' }])).emails;
    expect(emails).toEqual([{ value: 'new@work', type: 'work', primary: true }, { value: 'a@home', type: 'home' }]);
  });

  it('creates the element a value-path filter describes when nothing matches', () => {
    const emails = ok(patch(ada, [{ op: 'replace', path: 'emails[type eq "other"].value', value: 'o@x' }])).emails as unknown[];
    expect(emails).toContainEqual({ type: 'other', value: 'o@x' });
  });

  it('answers noTarget when nothing matches and the filter cannot describe a new element', () => {
    expect(tag(patch(ada, [{ op: 'replace', path: 'emails[value co "zzz"].type', value: 'home' }]))).toBe('NoTarget');
  });

  it('removes elements selected by a filter, comparing values ignoring case where the schema says so', () => {
    expect(ok(patch(ada, [{ op: 'remove', path: 'roles[value eq "pro"]' }])).roles).toBeUndefined();
  });

  it('treats removing a value that is not there as a no-op', () => {
    expect(ok(patch(ada, [{ op: 'remove', path: 'roles[value eq "admin"]' }])).roles).toEqual([{ value: 'Pro' }]);
  });

  it('removes listed values of a multi-valued attribute', () => {
    expect(ok(patch(ada, [{ op: 'remove', path: 'emails', value: [{ value: 'a@home' }] }])).emails).toEqual([{ value: 'a@work', type: 'work', primary: true }]);
  });

  it('appends to a multi-valued attribute on add and replaces the list on replace', () => {
    expect(ok(patch(ada, [{ op: 'add', path: 'roles', value: [{ value: 'admin' }] }])).roles).toEqual([{ value: 'Pro' }, { value: 'admin' }]);
    expect(ok(patch(ada, [{ op: 'replace', path: 'roles', value: [{ value: 'admin' }] }])).roles).toEqual([{ value: 'admin' }]);
  });

  it('keeps one primary: a new primary clears the others', () => {
    const emails = ok(patch(ada, [{ op: 'add', path: 'emails', value: [{ value: 'b@work', type: 'work', primary: true }] }])).emails as { primary?: boolean }[];
    expect(emails.filter((e) => e.primary === true)).toHaveLength(1);
    expect(emails.at(-1)!.primary).toBe(true);
  });

  it('applies a path-less value with URN-qualified, dotted and extension-object keys', () => {
    const doc = ok(patch(ada, [{ op: 'replace', value: { 'name.givenName': 'Ada', [`${ENTERPRISE}:department`]: 'Ops', [ENTERPRISE]: { costCenter: 'C1' } } }]));
    expect(doc.name).toEqual({ givenName: 'Ada' });
    expect(doc[ENTERPRISE]).toEqual({ department: 'Ops', costCenter: 'C1' });
  });

  it('ignores read-only keys in a path-less value but refuses a read-only path', () => {
    expect(ok(patch(ada, [{ op: 'replace', value: { id: 'x', meta: {}, displayName: 'D' } }])).displayName).toBe('D');
    expect(tag(patch(ada, [{ op: 'replace', path: 'id', value: 'x' }]))).toBe('Mutability');
    expect(tag(patch(ada, [{ op: 'add', path: 'groups', value: [{ value: 'g' }] }]))).toBe('Mutability');
  });

  it('refuses unknown and malformed paths with invalidPath', () => {
    expect(tag(patch(ada, [{ op: 'add', path: 'nosuch', value: 1 }]))).toBe('InvalidPath');
    expect(tag(patch(ada, [{ op: 'add', path: 'emails[type eq', value: 1 }]))).toBe('InvalidPath');
    expect(tag(patch(ada, [{ op: 'add', path: 'name[givenName eq "x"]', value: 1 }]))).toBe('InvalidPath');
  });

  it('needs a path to remove', () => {
    expect(tag(patch(ada, [{ op: 'remove' }]))).toBe('NoTarget');
  });

  it('fails the whole request when any operation fails, or when the result is invalid', () => {
    expect(tag(patch(ada, [{ op: 'replace', path: 'displayName', value: 'x' }, { op: 'add', path: 'nosuch', value: 1 }]))).toBe('InvalidPath');
    expect(tag(patch(ada, [{ op: 'remove', path: 'userName' }]))).toBe('InvalidValue');
    expect(tag(patch(ada, [{ op: 'replace', path: 'active', value: 'maybe' }]))).toBe('InvalidValue');
  });

  it('refuses a PatchOp without the PatchOp schema or without operations', () => {
    expect(E.isLeft(parsePatchRequest({ Operations: [{ op: 'add', path: 'title', value: 'x' }] }))).toBe(true);
    expect(E.isLeft(parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations: [] }))).toBe(true);
    expect(E.isLeft(parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'move', path: 'title' }] }))).toBe(true);
  });
});

describe('IdP quirk "bare value" (Entra sends manager as an id string)', () => {
  const MANAGER = `${ENTERPRISE}:manager`;

  it('takes a PATCH value that is a bare id as { value }', () => {
    expect(ok(patch(ada, [{ op: 'Add', path: MANAGER, value: '26118915-6090-4610-87e4-49d8ca9f808d' }]))[ENTERPRISE]).toEqual({ manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } });
  });

  it('takes a bare id in a path-less value and in a POST body', () => {
    expect(ok(patch(ada, [{ op: 'replace', value: { [ENTERPRISE]: { manager: 'm-2' } } }]))[ENTERPRISE]).toEqual({ manager: { value: 'm-2' } });
    expect(validate({ userName: 'x', [ENTERPRISE]: { manager: 'm-3' }, roles: ['pro'] })).toEqual(E.right({ userName: 'x', roles: [{ value: 'pro' }], [ENTERPRISE]: { manager: { value: 'm-3' } } }));
  });

  it('still refuses a string where the complex attribute has no value to hold it', () => {
    expect(tag(patch(ada, [{ op: 'replace', path: 'name', value: 'Ada Lovelace' }]))).toBe('InvalidValue');
  });
});

describe('PATCH on a whole extension and other edges', () => {
  const withDept = { userName: 'ada', [ENTERPRISE]: { department: 'R&D', costCenter: 'C1' } };

  it('replaces attributes of an extension named by its URN, and removes the whole extension', () => {
    expect(ok(patch(withDept, [{ op: 'replace', path: ENTERPRISE, value: { department: 'Ops' } }]))[ENTERPRISE]).toEqual({ department: 'Ops', costCenter: 'C1' });
    expect(ok(patch(withDept, [{ op: 'remove', path: ENTERPRISE }]))[ENTERPRISE]).toBeUndefined();
    expect(tag(patch(withDept, [{ op: 'replace', path: ENTERPRISE, value: 'x' }]))).toBe('InvalidValue');
  });

  it('needs a value for add and replace', () => {
    expect(tag(patch(ada, [{ op: 'add', path: 'title' }]))).toBe('InvalidValue');
    expect(tag(patch(ada, [{ op: 'replace', path: 'title' }]))).toBe('InvalidValue');
  });

  it('refuses a blank userName or one with control characters', () => {
    expect(tag(patch(ada, [{ op: 'replace', path: 'userName', value: '   ' }]))).toBe('InvalidValue');
    expect(tag(patch(ada, [{ op: 'replace', path: 'userName', value: 'a\u0000b' }]))).toBe('InvalidValue');
  });
});
