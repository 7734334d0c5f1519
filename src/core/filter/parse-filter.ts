/**
 * Parses SCIM filter text (RFC 7644 §3.4.2.2) into a {@link FilterTree}.
 *
 * The grammar is scim2-parse-filter's; seatkit adds what that parser leaves out: literals ignore case,
 * attribute names are resolved against the schema (an unknown attribute is `invalidFilter`, never a
 * silent no-match), value-path filters are checked to sit on multi-valued complex attributes,
 * ordering operators are refused on booleans, and values must fit their attribute's type.
 */
import * as E from 'fp-ts/Either';
import { parse, type Filter } from 'scim2-parse-filter';
import { describeName } from '../errors/describe-name';
import { invalidFilter, type ScimError } from '../errors/scim-error';
import { findAttribute } from '../schema/attribute';
import { isDateTime } from '../schema/parse-instant';
import { resolveAttribute, type ResolvedAttribute } from '../schema/resolve-path';
import type { ResourceTypeDefinition } from '../schema/resource-type';
import { isStorableText } from '../schema/storable-text';
import type { CompareOperator, FilterTree } from './filter-tree';
import { normaliseLiterals, parenthesisDepth } from './filter-text';

const ORDERING = new Set(['gt', 'ge', 'lt', 'le']);
const COMPARE: ReadonlySet<string> = new Set<CompareOperator>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

type Resolve = (path: string) => E.Either<ScimError, ResolvedAttribute>;

const typeOf = (target: ResolvedAttribute) => (target.subAttribute ?? target.attribute).type;

// A value must fit the attribute's type: `userName gt true` is a client mistake, not a string
// comparison with "true". Numbers are taken for strings (`employeeNumber eq 1001`), and "true" /
// "false" for booleans, as clients send both.
const comparable = (type: string, value: unknown): boolean => {
  if (value === null) return true;
  switch (type) {
    case 'boolean': return typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value));
    case 'integer':
    case 'decimal': return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)));
    case 'dateTime': return typeof value === 'string' && isDateTime(value);
    case 'complex': return false;
    default: return typeof value === 'string' || typeof value === 'number';
  }
};

const convert = (node: Filter, resolve: Resolve, resourceType: ResourceTypeDefinition, inValuePath = false): E.Either<ScimError, FilterTree> => {
  switch (node.op) {
    case 'and':
    case 'or':
      return E.map((filters: FilterTree[]) => ({ kind: node.op as 'and' | 'or', filters }))(
        E.sequenceArray(node.filters.map((f) => convert(f, resolve, resourceType, inValuePath))) as E.Either<ScimError, FilterTree[]>,
      );
    case 'not':
      return E.map((filter: FilterTree) => ({ kind: 'not' as const, filter }))(convert(node.filter, resolve, resourceType, inValuePath));
    case '[]': {
      // RFC 7644 §3.4.2.2's grammar has no value filter inside another.
      if (inValuePath) return E.left(invalidFilter('A value filter cannot contain another value filter'));
      const outer = resolveAttribute(resourceType, node.attrPath);
      if (!outer || outer.subAttribute || outer.attribute.type !== 'complex' || !outer.attribute.multiValued) {
        return E.left(invalidFilter(`${describeName(node.attrPath)} is not a multi-valued complex attribute, so it cannot take a [filter]`));
      }
      if (outer.attribute.returned === 'never') return E.left(neverReturned(node.attrPath));
      const inner: Resolve = (path) => {
        const sub = findAttribute(outer.attribute.subAttributes ?? [], path);
        if (sub?.returned === 'never') return E.left(neverReturned(path));
        return sub
          ? E.right({ ...outer, subAttribute: sub })
          : E.left(invalidFilter(`'${outer.attribute.name}' has no sub-attribute ${describeName(path)}`));
      };
      return E.map((filter: FilterTree) => ({ kind: 'valuePath' as const, target: outer, filter }))(
        convert(node.valFilter, inner, resourceType, true),
      );
    }
    case 'pr':
      return E.map((target: ResolvedAttribute) => ({ kind: 'present' as const, target }))(resolve(node.attrPath));
    default:
      // The parser looks infix words up in a plain object, so `a pr constructor b pr` comes back as
      // an operator named "constructor".
      if (!COMPARE.has(node.op)) return E.left(GRAMMAR);
      return E.flatMap(resolve(node.attrPath), (target): E.Either<ScimError, FilterTree> => {
        if (ORDERING.has(node.op) && (typeOf(target) === 'boolean' || typeOf(target) === 'complex')) {
          return E.left(invalidFilter(`'${node.op}' cannot compare the ${typeOf(target)} attribute ${describeName(node.attrPath)}`));
        }
        if (typeof node.compValue === 'object' && node.compValue !== null) {
          return E.left(invalidFilter(`the value compared with ${describeName(node.attrPath)} must be a string, number, boolean or null`));
        }
        if (!comparable(typeOf(target), node.compValue)) {
          return E.left(invalidFilter(`${describeName(node.attrPath)} is a ${typeOf(target)} attribute and cannot be compared with a ${typeof node.compValue}`));
        }
        return E.right({ kind: 'compare', op: node.op as CompareOperator, target, value: node.compValue });
      });
  }
};

const GRAMMAR = invalidFilter('The filter does not follow the SCIM filter grammar (RFC 7644 §3.4.2.2)');

// A multi-valued complex attribute without a sub-attribute is compared on its `value` (RFC 7644 §3.4.2.2).
const withImplicitValue = (target: ResolvedAttribute): ResolvedAttribute => {
  if (target.subAttribute || target.attribute.type !== 'complex') return target;
  const value = findAttribute(target.attribute.subAttributes ?? [], 'value');
  return value ? { ...target, subAttribute: value } : target;
};

// Limits that keep a hostile filter from costing more than a page of results: databases refuse
// expression trees beyond a depth (SQLite: 1000), and no IdP sends filters anywhere near these.
export const FILTER_LIMITS = { maxLength: 10_000, maxComparisons: 100, maxDepth: 20 } as const;

const measure = (node: Filter, depth = 1): { comparisons: number; depth: number } => {
  switch (node.op) {
    case 'and':
    case 'or': {
      const parts = node.filters.map((f) => measure(f, depth + 1));
      return { comparisons: parts.reduce((n, p) => n + p.comparisons, 0), depth: Math.max(depth, ...parts.map((p) => p.depth)) };
    }
    case 'not': return measure(node.filter, depth + 1);
    case '[]': return measure(node.valFilter, depth + 1);
    default: return { comparisons: 1, depth };
  }
};

// scim2-parse-filter reads `\"` as an escaped quote and leaves other JSON escapes in place, so
// `"CORP\\jdoe"` would never match the user CORP\jdoe. Escaped backslashes are rewritten as the
// equivalent `\u005c` before parsing, and each string value is then JSON-unescaped
// (RFC 7644 §3.4.2.2: values are JSON strings).
const ESCAPE = /\\(u[0-9a-fA-F]{4}|["/bfnrt])/g;
const ESCAPED: Record<string, string> = { '"': '"', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

const unescape = (value: string): string | null =>
  /\\(?!u[0-9a-fA-F]{4}|["/bfnrt])/.test(value)
    ? null
    : value.replace(ESCAPE, (_, e: string) => (e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : ESCAPED[e]!));

const unescapeValues = (node: Filter): Filter | null => {
  switch (node.op) {
    case 'and':
    case 'or': {
      const filters = node.filters.map(unescapeValues);
      return filters.every((f): f is Filter => f !== null) ? { ...node, filters } : null;
    }
    case 'not': {
      const filter = unescapeValues(node.filter);
      return filter ? { ...node, filter } : null;
    }
    case '[]': {
      const valFilter = unescapeValues(node.valFilter);
      return valFilter ? { ...node, valFilter } : null;
    }
    case 'pr': return node;
    default: {
      if (typeof node.compValue !== 'string') return node;
      const compValue = unescape(node.compValue);
      return compValue === null ? null : { ...node, compValue };
    }
  }
};

// No stored value can hold these (see storable-text.ts), and PostgreSQL refuses them as parameters.
const allStorable = (node: Filter): boolean => {
  switch (node.op) {
    case 'and':
    case 'or': return node.filters.every(allStorable);
    case 'not': return allStorable(node.filter);
    case '[]': return allStorable(node.valFilter);
    case 'pr': return true;
    default: return typeof node.compValue !== 'string' || isStorableText(node.compValue);
  }
};

// A filter on a value that is never returned (a password, a host's secret) would let a client test
// guesses against it one request at a time.
const neverReturned = (path: string) => invalidFilter(`${describeName(path)} is never returned, so it cannot be filtered on`);

/** Parses filter text for the given resource type. */
export const parseFilter = (resourceType: ResourceTypeDefinition, text: string): E.Either<ScimError, FilterTree> => {
  if (text.length > FILTER_LIMITS.maxLength) return E.left(invalidFilter(`The filter is longer than ${FILTER_LIMITS.maxLength} characters`));
  let parsed: Filter;
  try {
    parsed = parse(normaliseLiterals(text).replaceAll('\\\\', '\\u005c'));
  } catch {
    return E.left(GRAMMAR);
  }
  const size = measure(parsed);
  if (size.comparisons > FILTER_LIMITS.maxComparisons || size.depth > FILTER_LIMITS.maxDepth || parenthesisDepth(text) > FILTER_LIMITS.maxDepth) {
    return E.left(invalidFilter(`The filter is too complex: at most ${FILTER_LIMITS.maxComparisons} comparisons nested ${FILTER_LIMITS.maxDepth} deep`));
  }
  const raw = unescapeValues(parsed);
  if (!raw) return E.left(invalidFilter('A string in the filter has an invalid escape sequence'));
  if (!allStorable(raw)) return E.left(invalidFilter('A string in the filter contains U+0000 or an unpaired UTF-16 surrogate'));
  const resolve: Resolve = (path) => {
    const target = resolveAttribute(resourceType, path);
    if (target && (target.attribute.returned === 'never' || target.subAttribute?.returned === 'never')) return E.left(neverReturned(path));
    return target
      ? E.right(withImplicitValue(target))
      : E.left(invalidFilter(`${describeName(path)} is not an attribute of ${resourceType.name}`));
  };
  return convert(raw, resolve, resourceType);
};
