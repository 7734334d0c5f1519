/**
 * What the resource validator takes and refuses at the edge, before any storage sees a value; PATCH
 * results go through the same validator, so each rule is checked for PATCH too.
 */
import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toScimErrorBody } from '../../src/core/errors/scim-error-body';
import type { ScimError } from '../../src/core/errors/scim-error';
import { applyPatch } from '../../src/core/patch/apply-patch';
import { expandOperations } from '../../src/core/patch/expand-operations';
import { parsePatchRequest, PATCH_OP_SCHEMA } from '../../src/core/patch/patch-request';
import { numberAsString } from '../../src/core/quirks/numeric-string';
import { attr } from '../../src/core/schema/attr';
import { userResourceType } from '../../src/core/schema/resource-type';
import { createSchemaRegistry } from '../../src/core/schema/schema-registry';
import { resourceValidator } from '../../src/core/schema/validate-resource';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const SEAT = 'urn:acme:scim:schemas:extension:seat:2.0:User';
const validate = resourceValidator(userResourceType);
const registry = createSchemaRegistry({
  user: [{ id: SEAT, name: 'Seat', description: 'Seat', attributes: [attr.dateTime('hired'), attr.complex('badges', [attr.string('value'), attr.dateTime('since')], { multiValued: true })] }],
});

const patch = (doc: Record<string, unknown>, Operations: unknown[]) =>
  E.flatMap(parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations }), (ops) =>
    E.flatMap(expandOperations(userResourceType, ops), (targeted) => E.flatMap(applyPatch(doc, targeted), validate)));

const ok = (result: E.Either<ScimError, Record<string, unknown>>) => {
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left._tag}: ${toScimErrorBody(result.left).detail}`);
  return result.right;
};
const refused = (result: E.Either<ScimError, unknown>) => {
  if (E.isRight(result)) throw new Error('expected a refusal');
  return { tag: result.left._tag, detail: toScimErrorBody(result.left).detail, paths: result.left._tag === 'InvalidValue' ? result.left.issues.map((i) => i.path) : [] };
};

const ada = { userName: 'ada', emails: [{ value: 'a@work', type: 'work', primary: true }] };

describe('strings no storage can hold: U+0000 and unpaired surrogates', () => {
  const bad = fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff');
  // Letters no detail uses, so any of them in a detail would be the value echoed.
  const secret = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('Q', 'J', 'K') });
  // Where a string can sit: core, required, nested complex, multi-valued complex, extension, extension complex.
  const places: [string, (v: string) => Record<string, unknown>][] = [
    ['displayName', (v) => ({ userName: 'ada', displayName: v })],
    ['userName', (v) => ({ userName: v })],
    ['externalId', (v) => ({ userName: 'ada', externalId: v })],
    ['name.givenName', (v) => ({ userName: 'ada', name: { givenName: v } })],
    ['emails.0.value', (v) => ({ userName: 'ada', emails: [{ value: v, type: 'work' }] })],
    ['emails.1.type', (v) => ({ userName: 'ada', emails: [{ value: 'a@x' }, { value: 'b@x', type: v }] })],
    ['roles.0.value', (v) => ({ userName: 'ada', roles: [v] })],
    [`${ENTERPRISE}.employeeNumber`, (v) => ({ userName: 'ada', [ENTERPRISE]: { employeeNumber: v } })],
    [`${ENTERPRISE}.manager.value`, (v) => ({ userName: 'ada', [ENTERPRISE]: { manager: v } })],
  ];

  it('are refused with invalidValue naming the attribute, never echoing the value, wherever they sit', () => {
    fc.assert(fc.property(fc.constantFrom(...places), secret, bad, fc.nat(), ([path, body], text, char, at) => {
      const i = at % (text.length + 1);
      // Letters around the surrogate keep it unpaired.
      const result = refused(validate(body(text.slice(0, i) + char + text.slice(i))));
      expect(result.tag).toBe('InvalidValue');
      expect(result.paths).toContain(path);
      expect(result.detail).toContain('U+0000 or an unpaired UTF-16 surrogate');
      expect(result.detail).not.toMatch(/[QJK\u0000\ud800-\udfff]/);
    }), { numRuns: 500 });
  });

  it('are refused in a host extension and in a group', () => {
    expect(refused(registry.validateUser({ userName: 'ada', [SEAT]: { badges: [{ value: 'gold\u0000' }] } })).paths).toEqual([`${SEAT}.badges.0.value`]);
    expect(refused(registry.validateGroup({ displayName: 'Team\ud800' })).paths).toEqual(['displayName']);
    expect(refused(registry.validateGroup({ displayName: 'Team', members: [{ value: 'u\u0000' }] })).paths).toEqual(['members.0.value']);
  });

  it('leave every well-formed string alone, surrogate pairs included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', minLength: 1 }).filter((s) => !s.includes('\u0000') && s.trim() !== '' && !/[\u0001-\u001f\u007f]/.test(s)), (text) => {
      expect(ok(validate({ userName: text, title: text, name: { givenName: text } }))).toEqual({ userName: text, title: text, name: { givenName: text } });
    }));
    expect(ok(validate({ userName: 'ada', displayName: 'Ada \ud83d\ude00' })).displayName).toBe('Ada \ud83d\ude00');
  });

  it('are refused when a PATCH would write them, by path, through a filter or without a path', () => {
    expect(refused(patch(ada, [{ op: 'replace', path: 'displayName', value: 'a\u0000b' }])).paths).toEqual(['displayName']);
    expect(refused(patch(ada, [{ op: 'add', path: 'emails[type eq "work"].display', value: '\ud800' }])).paths).toEqual(['emails.0.display']);
    expect(refused(patch(ada, [{ op: 'replace', value: { 'name.familyName': 'x\udfff' } }])).paths).toEqual(['name.familyName']);
    expect(refused(patch(ada, [{ op: 'add', path: `${ENTERPRISE}:department`, value: '\u0000' }])).paths).toEqual([`${ENTERPRISE}.department`]);
  });
});

describe('dateTime attributes take xsd:dateTime or a date (RFC 7643 §2.3.5)', () => {
  const hired = (v: unknown) => registry.validateUser({ userName: 'ada', [SEAT]: { hired: v, badges: [{ value: 'gold', since: v }] } });

  it('stores xsd:dateTime with or without fraction and offset, and a date, as sent', () => {
    for (const v of ['2024-03-07T10:00:00Z', '2024-03-07T10:00:00.1234567+05:30', '2024-03-07T10:00:00', '2024-03-07']) {
      expect(ok(hired(v))[SEAT]).toEqual({ hired: v, badges: [{ value: 'gold', since: v }] });
    }
  });

  it('refuses what Date.parse takes but xsd:dateTime does not, naming the attribute', () => {
    for (const v of ['March 7, 2024', '1', '2024-02-30T00:00:00Z', '2024-03-07T10:00Z', '2024-03-07 10:00:00', 1709805600000]) {
      const result = refused(hired(v));
      expect(result.tag, String(v)).toBe('InvalidValue');
      expect(result.paths).toEqual([`${SEAT}.hired`, `${SEAT}.badges.0.since`]);
    }
  });
});

describe('IdP quirk "numeric string": a JSON number for a string attribute', () => {
  it('numberAsString writes finite numbers as JSON wrote them and leaves the rest alone', () => {
    expect(numberAsString(12345)).toBe('12345');
    expect(numberAsString(-2.5)).toBe('-2.5');
    expect(numberAsString(0)).toBe('0');
    expect(numberAsString(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
    for (const v of [2 ** 53, 1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, '12', true, null]) expect(numberAsString(v)).toBe(v);
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => {
      expect(numberAsString(n)).toBe(String(n));
    }));
  });

  it('stores an enterprise employeeNumber sent as a number as its decimal string, in POST and PATCH', () => {
    expect(ok(validate({ userName: 'ada', [ENTERPRISE]: { employeeNumber: 12345 } }))[ENTERPRISE]).toEqual({ employeeNumber: '12345' });
    expect(ok(validate({ userName: 'ada', nickName: -2.5, emails: [{ value: 1001 }] }))).toMatchObject({ nickName: '-2.5', emails: [{ value: '1001' }] });
    expect(ok(patch(ada, [{ op: 'replace', path: `${ENTERPRISE}:employeeNumber`, value: 678 }]))[ENTERPRISE]).toEqual({ employeeNumber: '678' });
  });

  it('still refuses numbers it cannot keep exactly, and other types, for strings', () => {
    for (const v of [2 ** 53 + 2, 1e21, true, { n: 1 }]) {
      expect(refused(validate({ userName: 'ada', [ENTERPRISE]: { employeeNumber: v } })).paths, String(v)).toEqual([`${ENTERPRISE}.employeeNumber`]);
    }
  });
});

describe('an extension is an object of its attributes (RFC 7643 §3.3)', () => {
  it('refuses an extension sent as a string, number or array with invalidValue under its URN', () => {
    for (const v of ['oops', 12, true, [], [{ department: 'R&D' }]]) {
      const result = refused(validate({ userName: 'ada', [ENTERPRISE]: v }));
      expect(result.tag).toBe('InvalidValue');
      expect(result.paths).toEqual([ENTERPRISE]);
    }
    expect(refused(validate({ userName: 'ada', [ENTERPRISE.toUpperCase()]: 'oops' })).paths).toEqual([ENTERPRISE]);
  });

  it('takes null as unassigned, as for any attribute (RFC 7643 §2.5)', () => {
    expect(ok(validate({ userName: 'ada', [ENTERPRISE]: null }))).toEqual({ userName: 'ada' });
  });

  it('refuses a non-object extension in a path-less PATCH value, as on its URN path', () => {
    expect(refused(patch(ada, [{ op: 'add', value: { [ENTERPRISE]: 'oops' } }])).tag).toBe('InvalidValue');
    expect(refused(patch(ada, [{ op: 'replace', path: ENTERPRISE, value: 'oops' }])).tag).toBe('InvalidValue');
    expect(ok(patch(ada, [{ op: 'add', value: { [ENTERPRISE]: { department: 'R&D' } } }]))[ENTERPRISE]).toEqual({ department: 'R&D' });
  });
});

describe('__proto__ and constructor are unknown attributes like any other', () => {
  const prototypes = (value: unknown): unknown[] =>
    typeof value !== 'object' || value === null ? [] : [Object.getPrototypeOf(value), ...Object.values(value).flatMap(prototypes)];

  it('are dropped from a body, at any depth, and never become an object\'s prototype', () => {
    const body = JSON.parse('{"userName":"ada","__proto__":{"title":"x"},"constructor":{"title":"y"},"name":{"__proto__":{"givenName":"P"}},'
      + `"emails":[{"value":"a@x","__proto__":{"primary":true}}],"${ENTERPRISE}":{"__proto__":{"department":"D"},"constructor":"c"}}`) as Record<string, unknown>;
    const doc = ok(validate(body));
    expect(doc).toEqual({ userName: 'ada', emails: [{ value: 'a@x' }] });
    expect(prototypes(doc).every((p) => p === Object.prototype || p === Array.prototype)).toBe(true);
    expect(({} as Record<string, unknown>).givenName).toBeUndefined();
  });

  it('treats a complex value left with no known sub-attribute as unassigned, not as {}', () => {
    expect(ok(validate(JSON.parse('{"userName":"ada","name":{"__proto__":{}}}')))).toEqual({ userName: 'ada' });
    expect(ok(validate({ userName: 'ada', name: {} }))).toEqual({ userName: 'ada' });
    expect(ok(validate({ userName: 'ada', name: { nosuch: 'x' }, [ENTERPRISE]: { manager: {} } }))).toEqual({ userName: 'ada' });
  });

  it('are ignored as path-less PATCH keys and refused as PATCH paths', () => {
    const value = JSON.parse('{"__proto__":{"title":"x"},"constructor":"c","name":{"__proto__":{"givenName":"P"}},"displayName":"Ada"}') as unknown;
    const doc = ok(patch(ada, [{ op: 'replace', value }]));
    expect(doc).toEqual({ ...ada, displayName: 'Ada' });
    expect(prototypes(doc).every((p) => p === Object.prototype || p === Array.prototype)).toBe(true);
    for (const path of ['__proto__', 'constructor', 'name.__proto__', 'emails[type eq "work"].__proto__', 'emails[type eq "work"].constructor']) {
      expect(refused(patch(ada, [{ op: 'replace', path, value: { x: 1 } }])).tag, path).toBe('InvalidPath');
    }
  });
});

describe('PATCH paths read their filters as list filters do', () => {
  it('takes literals in any case inside a PATCH path filter', () => {
    expect(ok(patch(ada, [{ op: 'replace', path: 'emails[primary eq True].value', value: 'new@work' }])).emails).toEqual([{ value: 'new@work', type: 'work', primary: true }]);
    expect(ok(patch(ada, [{ op: 'remove', path: 'emails[primary eq TRUE]' }])).emails).toBeUndefined();
    expect(ok(patch(ada, [{ op: 'add', path: 'emails[type eq "home" and primary eq FALSE].value', value: 'h@x' }])).emails)
      .toEqual([{ value: 'a@work', type: 'work', primary: true }, { type: 'home', primary: false, value: 'h@x' }]);
  });

  it('writes details that read as sentences and repeat no filter value', () => {
    expect(refused(patch(ada, [{ op: 'replace', path: 'emails[type eq "work"].value.x', value: 'x' }])).detail)
      .toBe("The path 'emails[...].value.x' has text after ']' that is not one sub-attribute");
    expect(refused(patch(ada, [{ op: 'replace', path: 'emails[type eq "work"].value x', value: 'x' }])).detail)
      .toBe("The path '...' has text after ']' that is not one sub-attribute");
    const pasted = refused(patch(ada, [{ op: 'replace', path: 'zelda@acme.example[type eq "work"]', value: 'x' }])).detail;
    expect(pasted).toBe("'...' is not a multi-valued complex attribute of User, so it cannot take a [filter]");
    expect(refused(patch(ada, [{ op: 'replace', path: 'emails[value eq "a\u0000"].type', value: 'x' }])).tag).toBe('InvalidPath');
  });
});
