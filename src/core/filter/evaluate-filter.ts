/**
 * Evaluates a {@link FilterTree} against a resource in its SCIM JSON form. This is the reference
 * semantics: the memory adapter uses it directly, and the SQL adapters are tested against it.
 *
 * Values follow the attribute's characteristics: strings compare ignoring case unless `caseExact`,
 * dateTimes compare as instants, numbers as numbers, booleans only for equality.
 */
import type { AttributeDefinition } from '../schema/attribute';
import { isObject, type Json } from '../schema/canonicalize';
import { parseInstant } from '../schema/parse-instant';
import type { ResolvedAttribute } from '../schema/resolve-path';
import type { CompareOperator, CompareValue, FilterTree } from './filter-tree';

type ValuesOf = (target: ResolvedAttribute) => unknown[];

const present = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

/** The values an attribute path selects in a resource: several for multi-valued attributes. */
export const valuesIn = (resource: Json) => (target: ResolvedAttribute): unknown[] => {
  const container = target.extension ? resource[target.extension.id] : resource;
  if (!isObject(container)) return [];
  const raw = container[target.attribute.name];
  const items = Array.isArray(raw) ? raw : [raw];
  const selected = target.subAttribute
    ? items.map((item) => (isObject(item) ? item[target.subAttribute!.name] : undefined))
    : items;
  return selected.filter(present);
};

// Inside `attr[...]` each element is its own scope: paths name its sub-attributes.
const valuesInElement = (element: unknown): ValuesOf => (target) => {
  if (!isObject(element) || !target.subAttribute) return [];
  const v = element[target.subAttribute.name];
  return present(v) ? [v] : [];
};

const asBoolean = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() === 'true' : v === true);

const compareOrdered = (op: CompareOperator, a: number | string, b: number | string): boolean => {
  switch (op) {
    case 'eq': return a === b;
    case 'ne': return a !== b;
    case 'gt': return a > b;
    case 'ge': return a >= b;
    case 'lt': return a < b;
    case 'le': return a <= b;
    default: return false;
  }
};

/** Compares one actual value with the filter's value under the attribute's rules. */
export const compareValue = (def: AttributeDefinition, op: CompareOperator, actual: unknown, expected: CompareValue): boolean => {
  switch (def.type) {
    case 'boolean':
      return op === 'eq' ? asBoolean(actual) === asBoolean(expected) : op === 'ne' ? asBoolean(actual) !== asBoolean(expected) : false;
    case 'integer':
    case 'decimal': {
      const a = Number(actual), b = Number(expected);
      return !Number.isNaN(a) && !Number.isNaN(b) && compareOrdered(op, a, b);
    }
    case 'dateTime': {
      const a = parseInstant(String(actual)), b = parseInstant(String(expected));
      return a !== null && b !== null && compareOrdered(op, a, b);
    }
    default: {
      if (typeof actual !== 'string' && typeof actual !== 'number' && typeof actual !== 'boolean') return false;
      const fold = (s: string) => (def.caseExact ? s : s.toLowerCase());
      const a = fold(String(actual)), b = fold(String(expected));
      switch (op) {
        case 'co': return a.includes(b);
        case 'sw': return a.startsWith(b);
        case 'ew': return a.endsWith(b);
        default: return compareOrdered(op, a, b);
      }
    }
  }
};

const evaluate = (tree: FilterTree, valuesOf: ValuesOf): boolean => {
  switch (tree.kind) {
    case 'and': return tree.filters.every((f) => evaluate(f, valuesOf));
    case 'or': return tree.filters.some((f) => evaluate(f, valuesOf));
    case 'not': return !evaluate(tree.filter, valuesOf);
    case 'present': return valuesOf(tree.target).length > 0;
    case 'valuePath': {
      const container = { ...tree.target, subAttribute: null };
      return valuesOf(container).some((element) => evaluate(tree.filter, valuesInElement(element)));
    }
    case 'compare': {
      const values = valuesOf(tree.target);
      const def = tree.target.subAttribute ?? tree.target.attribute;
      // `eq null` asks for absence, `ne null` for presence (RFC 7643 §2.5: null is unassigned).
      if (tree.value === null) return tree.op === 'ne' ? values.length > 0 : tree.op === 'eq' ? values.length === 0 : false;
      if (tree.op === 'ne') return !values.some((v) => compareValue(def, 'eq', v, tree.value));
      return values.some((v) => compareValue(def, tree.op, v, tree.value));
    }
  }
};

/** True when the resource (SCIM JSON form) satisfies the filter. */
export const matchesFilter = (tree: FilterTree, resource: Json): boolean => evaluate(tree, valuesIn(resource));

/** True when one element of a multi-valued attribute satisfies the inner filter of `attr[filter]`. */
export const elementMatches = (filter: FilterTree, element: unknown): boolean => evaluate(filter, valuesInElement(element));
