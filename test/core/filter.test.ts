import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesFilter } from '../../src/core/filter/evaluate-filter';
import { parseFilter } from '../../src/core/filter/parse-filter';
import { isStorableText } from '../../src/core/schema/storable-text';
import { groupResourceType, userResourceType } from '../../src/core/schema/resource-type';

const user = {
  id: 'Id-1',
  externalId: 'Ext-1',
  userName: 'Ada@Example.com',
  displayName: 'Ada Lovelace',
  active: true,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: 'ada@work.example', type: 'work', primary: true }, { value: 'ada@home.example', type: 'home' }],
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Research' },
  meta: { created: '2026-01-01T10:00:00.000Z', lastModified: '2026-02-01T10:00:00.000Z' },
};

const matches = (text: string) => {
  const tree = parseFilter(userResourceType, text);
  if (E.isLeft(tree)) throw new Error(`does not parse: ${tree.left.detail}`);
  return matchesFilter(tree.right, user);
};

const failure = (text: string) => {
  const tree = parseFilter(userResourceType, text);
  return E.isLeft(tree) ? tree.left._tag : 'Right';
};

describe('SCIM filters (RFC 7644 §3.4.2.2)', () => {
  it.each([
    ['userName eq "ada@example.com"', true],
    ['USERNAME EQ "ADA@EXAMPLE.COM"', true],
    ['externalId eq "ext-1"', false],
    ['externalId eq "Ext-1"', true],
    ['id eq "id-1"', false],
    ['displayName co "love"', true],
    ['displayName sw "ada"', true],
    ['displayName ew "LACE"', true],
    ['userName ne "ada@example.com"', false],
    ['title pr', false],
    ['name.familyName pr', true],
    ['active eq true', true],
    ['active eq false', false],
    ['emails[type eq "work" and primary eq true]', true],
    ['emails[type eq "home" and primary eq true]', false],
    ['emails.value ew "home.example"', true],
    ['emails co "work"', true],
    ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "research"', true],
    ['meta.lastModified gt "2026-02-01T11:00:00+02:00"', true],
    ['meta.lastModified gt "2026-02-01T09:00:00Z"', true],
    ['meta.created lt "2026-01-01T11:00:00+01:00"', false],
    ['userName sw "x" or displayName sw "ada" and active eq false', false],
    ['(userName sw "x" or displayName sw "ada") and active eq true', true],
    ['not (active eq false)', true],
    ['title eq null', true],
    ['displayName gt "Ada"', true],
  ])('%s -> %s', (text, expected) => {
    expect(matches(text)).toBe(expected);
  });

  it('refuses unknown attributes, malformed text and ordering on booleans with invalidFilter', () => {
    expect(failure('nosuch eq "x"')).toBe('InvalidFilter');
    expect(failure('userName eq')).toBe('InvalidFilter');
    expect(failure('userName zz "x"')).toBe('InvalidFilter');
    expect(failure('active gt true')).toBe('InvalidFilter');
    expect(failure('name[givenName eq "x"]')).toBe('InvalidFilter');
    expect(failure('emails[nosuch eq "x"]')).toBe('InvalidFilter');
    expect(failure('userName gt true')).toBe('InvalidFilter');
    expect(failure('active eq "yes"')).toBe('InvalidFilter');
    expect(failure('meta.lastModified gt 12')).toBe('InvalidFilter');
    expect(failure('meta.created eq "nonsense"')).toBe('InvalidFilter');
    expect(failure('emails[type eq "work" and emails[value pr]]')).toBe('InvalidFilter');
  });

  it('filters groups on members.value', () => {
    const tree = parseFilter(groupResourceType, 'members[value eq "u-1"]');
    expect(E.isRight(tree) && matchesFilter(tree.right, { displayName: 'G', members: [{ value: 'u-1' }] })).toBe(true);
  });

  it('never throws on arbitrary text: it parses or answers invalidFilter', () => {
    const pieces = fc.constantFrom(
      'userName', 'emails', '[', ']', '(', ')', ' eq ', ' and ', ' or ', 'not', '"x"', ' pr', '.value', 'true', 'True', 'NULL', '12', ' ', 'urn:x:y',
      ' constructor ', ' __proto__ ', ' toString ', ' hasOwnProperty ',
    );
    fc.assert(fc.property(fc.oneof(fc.string(), fc.array(pieces, { maxLength: 12 }).map((p) => p.join(''))), (text) => {
      const result = parseFilter(userResourceType, text);
      if (E.isLeft(result)) expect(result.left._tag).toBe('InvalidFilter');
    }), { numRuns: 3000 });
  });
});

describe('filter values are JSON strings, and filters have bounds', () => {
  const corp = { userName: 'CORP\\jdoe', title: 'a/b "quoted"' };
  const on = (text: string, resource: Record<string, unknown> = corp) => {
    const tree = parseFilter(userResourceType, text);
    return E.isLeft(tree) ? tree.left._tag : matchesFilter(tree.right, resource);
  };

  it('reads JSON escapes in values: backslashes, quotes, \\u and \\/', () => {
    expect(on(String.raw`userName eq "CORP\\jdoe"`)).toBe(true);
    expect(on(String.raw`userName co "\\"`)).toBe(true);
    expect(on(String.raw`userName eq "CORP\u005cjdoe"`)).toBe(true);
    expect(on(String.raw`title eq "a\/b \"quoted\""`)).toBe(true);
    expect(on(String.raw`userName eq "CORP\jdoe"`)).toBe('InvalidFilter');
  });

  it('refuses filters beyond 100 comparisons or 20 levels of nesting, and over 10,000 characters', () => {
    const many = Array.from({ length: 101 }, (_, i) => `userName eq "u${i}"`).join(' or ');
    expect(on(many)).toBe('InvalidFilter');
    expect(on(Array.from({ length: 100 }, (_, i) => `userName eq "u${i}"`).join(' or '))).toBe(false);
    expect(on(`${'not ('.repeat(25)}userName pr${')'.repeat(25)}`)).toBe('InvalidFilter');
    expect(on(`${'('.repeat(25)}userName pr${')'.repeat(25)}`)).toBe('InvalidFilter');
    expect(on(`${'('.repeat(20)}userName pr${')'.repeat(20)}`)).toBe(true);
    expect(on(`userName eq "${'x'.repeat(10_001)}"`)).toBe('InvalidFilter');
  });
});

describe('literals true, false and null ignore case (RFC 7644 §3.4.2.2 ABNF, RFC 5234 §2.3)', () => {
  it.each([
    ['active eq True', true],
    ['active eq TRUE', true],
    ['active eq fAlSe', false],
    ['not (active eq False)', true],
    ['externalId eq NULL', false],
    ['title eq Null', true],
    ['title ne NULL', false],
    ['emails[primary eq TRUE]', true],
    ['emails[type eq "home" and primary eq True]', false],
    ['ACTIVE EQ TRUE and emails[PRIMARY eq true]', true],
  ])('%s -> %s', (text, expected) => {
    expect(matches(text)).toBe(expected);
  });

  it('leaves quoted strings exactly as written, literal-looking words included', () => {
    const piece = fc.oneof(fc.constantFrom('True', 'NULL', 'false', ' ', '"', '\\', 'É', ')', ']', 'x'), fc.string({ unit: 'binary', maxLength: 4 }));
    const value = fc.array(piece, { maxLength: 8 }).map((p) => p.join('')).filter((v) => v !== '' && isStorableText(v));
    fc.assert(fc.property(value, (externalId) => {
      // externalId is caseExact (RFC 7643 §3.1), so a lower-cased value would stop matching.
      const tree = parseFilter(userResourceType, `externalId eq ${JSON.stringify(externalId)}`);
      if (E.isLeft(tree)) throw new Error(tree.left.detail);
      expect(matchesFilter(tree.right, { userName: 'u', externalId })).toBe(true);
      if (externalId.toLowerCase() !== externalId) expect(matchesFilter(tree.right, { userName: 'u', externalId: externalId.toLowerCase() })).toBe(false);
    }), { numRuns: 1000 });
  });

  it('does not touch words that only contain a literal', () => {
    expect(failure('active eq Truely')).toBe('InvalidFilter');
    expect(failure('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:NULL pr')).toBe('InvalidFilter');
  });
});

describe('filter values no storage can hold, dateTimes, and error details', () => {
  const detail = (text: string) => {
    const tree = parseFilter(userResourceType, text);
    return E.isLeft(tree) ? `${tree.left._tag}: ${tree.left.detail}` : 'Right';
  };

  it('refuses U+0000 and unpaired surrogates in values, escaped or not, with invalidFilter', () => {
    expect(failure('userName eq "a\u0000b"')).toBe('InvalidFilter');
    expect(failure('userName eq "a\u0000b"'.replace('\\u0000', '\u0000'))).toBe('InvalidFilter');
    expect(failure('displayName co "\ud800"')).toBe('InvalidFilter');
    expect(failure('displayName co "\udc00x"')).toBe('InvalidFilter');
    expect(failure('emails[value eq "\ud800"]')).toBe('InvalidFilter');
    expect(failure('displayName co "\ud83d\ude00"')).toBe('Right');
    expect(detail('userName eq "secret\u0000"')).not.toContain('secret');
  });

  it('takes only xsd:dateTime or a date for dateTime attributes', () => {
    expect(failure('meta.created gt "2024-03-07"')).toBe('Right');
    expect(failure('meta.created gt "2024-03-07T10:00:00"')).toBe('Right');
    for (const value of ['March 7, 2024', '1', '2024', '2024-02-30T00:00:00Z', '2024-03-07T10:00Z']) {
      expect(failure(`meta.created gt "${value}"`), value).toBe('InvalidFilter');
    }
  });

  it('answers an infix word the parser finds on Object.prototype with invalidFilter, not a crash', () => {
    for (const word of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty']) {
      expect(failure(`userName pr ${word} title pr`), word).toBe('InvalidFilter');
    }
  });

  it('names attributes in details so that they read as sentences', () => {
    expect(detail('__proto__ pr')).toBe("InvalidFilter: '__proto__' is not an attribute of User");
    expect(detail('zelda/secret%40acme pr')).toBe("InvalidFilter: '...' is not an attribute of User");
    expect(detail('emails[__proto__ pr]')).toBe("InvalidFilter: 'emails' has no sub-attribute '__proto__'");
  });
});
