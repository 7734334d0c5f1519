/**
 * Translates a {@link FilterTree} into a SQL condition on a users or groups row, so lists are filtered
 * and counted by the database instead of in JavaScript. The reference evaluator
 * (core/filter/evaluate-filter.ts) defines what every filter means; this file mirrors it rule for rule:
 *
 * - an attribute has a set of values (several for multi-valued ones); absent, null, "" and [] are not values;
 * - `op` matches when some value passes; `ne` when no value is equal; `eq null` when there is no value;
 * - a value-path filter `attr[...]` matches when one element satisfies the whole inner filter;
 * - strings fold case unless caseExact, dateTimes compare as instants, booleans only for equality.
 *
 * Every value from the filter is a bound parameter; every name (JSON keys, tables, aliases) comes from
 * the resolved schema definitions or from this file. Each condition is TRUE or FALSE, never NULL, so
 * `not` inverts exactly as the reference does.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { CompareOperator, CompareValue, FilterTree } from '../../core/filter/filter-tree';
import type { SortSpec } from '../../core/list/sort-spec';
import { hasPrimary } from '../../core/quirks/one-primary';
import type { AttributeDefinition } from '../../core/schema/attribute';
import { parseInstant } from '../../core/schema/parse-instant';
import { LICENSE_USER_SCHEMA } from '../../core/schema/license-schema';
import type { ResolvedAttribute } from '../../core/schema/resolve-path';
import type { Tables } from './schema';
import type { SqlDialect, ValueSlot } from './sql-dialect';

export interface FilterSqlContext {
  readonly dialect: SqlDialect;
  readonly tables: Tables;
  readonly resource: 'User' | 'Group';
  /** The alias of the users or groups row in the enclosing query. */
  readonly alias: string;
}

type Condition = Expression<SqlBool>;
type Test = (slot: ValueSlot) => Condition;

/** An attribute's values: `some(test)` holds when one of them passes `test`. */
interface Values {
  some(test: Test): Condition;
  /** The one value of a single-valued attribute; what lists are sorted by. */
  readonly single?: ValueSlot;
}

/** One element of a multi-valued attribute: the element itself and its sub-attributes. */
interface Element {
  readonly whole: ValueSlot;
  field(sub: AttributeDefinition): ValueSlot;
}

/** A multi-valued attribute's elements: `some(cond)` holds when one element satisfies `cond`. */
interface Collection {
  some(cond: (element: Element) => Condition): Condition;
}

interface Scope {
  values(target: ResolvedAttribute): Values;
  collection(target: ResolvedAttribute): Collection;
}

const TRUE: Condition = sql<SqlBool>`TRUE`;
const FALSE: Condition = sql<SqlBool>`FALSE`;

const ORDERING = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;
type Ordering = keyof typeof ORDERING;
const isOrdering = (op: CompareOperator): op is Ordering => op in ORDERING;

// As the reference reads booleans: JSON true, or the string "true" in any case.
const asBoolean = (v: CompareValue) => (typeof v === 'string' ? v.toLowerCase() === 'true' : v === true);

const ABSENT: ValueSlot = { present: FALSE, text: sql`NULL`, number: sql`NULL`, truthy: FALSE };
// A complex value (meta, a membership): present, but never equal to a string, number or boolean.
const OBJECT: ValueSlot = { present: TRUE, text: sql`NULL`, number: sql`NULL`, truthy: FALSE };

// Attribute values of the row aliased `context.alias`, shared by filters and sort keys.
const sqlScope = (context: FilterSqlContext) => {
  const { dialect, tables, resource, alias } = context;
  let aliases = 0;
  const fresh = (base: string) => `${base}${++aliases}`;
  const row = <T = unknown>(column: string) => sql.ref<T>(`${alias}.${column}`);
  const ref = (table: string, column: string) => sql.ref(`${table}.${column}`);

  const textSlot = (expr: Expression<unknown>, folded?: Expression<string | null>): ValueSlot => ({
    present: sql<SqlBool>`(${expr} IS NOT NULL AND ${expr} <> '')`,
    text: expr as Expression<string | null>,
    ...(folded ? { folded } : {}),
    number: sql`NULL`,
    truthy: sql<SqlBool>`(${expr} IS NOT NULL AND ${dialect.fold(expr as Expression<string | null>)} = 'true')`,
    definite: true,
  });
  // Typed, because PostgreSQL cannot infer the type of a parameter compared with another parameter.
  const constant = (text: string) => textSlot(sql`CAST(${text} AS TEXT)`);

  // Wraps a one-value test so a NULL comparison reads as "no match"; a definite slot's tests are never NULL.
  const scalar = (slot: ValueSlot): Values => ({ some: (test) => (slot.definite ? test(slot) : sql<SqlBool>`COALESCE(${test(slot)}, FALSE)`), single: slot });
  const elementsOf = (collection: Collection, sub: AttributeDefinition | null): Values => ({
    some: (test) => collection.some((element) => test(sub ? element.field(sub) : element.whole)),
  });

  const jsonCollection = (keys: readonly string[]): Collection => ({
    some: (cond) => {
      const elements = dialect.jsonElements(row<string>('doc'), keys, fresh('e'));
      const element: Element = { whole: elements.element, field: (sub) => elements.field(sub.name) };
      return sql<SqlBool>`EXISTS (SELECT 1 FROM ${elements.from} WHERE ${cond(element)})`;
    },
  });

  const docValues = (keys: readonly string[], attribute: AttributeDefinition, sub: AttributeDefinition | null): Values =>
    attribute.multiValued
      ? elementsOf(jsonCollection([...keys, attribute.name]), sub)
      : scalar(dialect.jsonAt(row<string>('doc'), sub ? [...keys, attribute.name, sub.name] : [...keys, attribute.name]));

  // A user's groups and a group's members live in the memberships table, not in the document.
  const isMembership = (name: string) => (resource === 'User' ? name === 'groups' : name === 'members');
  const membershipCollection = (): Collection => ({
    some: (cond) => {
      const m = fresh('m');
      const memberships = sql`${sql.table(tables.name('memberships'))} AS ${sql.id(m)}`;
      if (resource === 'User') {
        const g = fresh('g');
        const element: Element = {
          whole: OBJECT,
          field: (sub) => {
            switch (sub.name) {
              case 'value': return textSlot(ref(m, 'group_id'));
              case 'display': return textSlot(ref(g, 'display_name'));
              case 'type': return constant('direct');
              case '$ref': return textSlot(sql`(${'/Groups/'} || ${ref(m, 'group_id')})`);
              default: return ABSENT;
            }
          },
        };
        return sql<SqlBool>`EXISTS (SELECT 1 FROM ${memberships} JOIN ${sql.table(tables.name('groups'))} AS ${sql.id(g)} ON ${ref(g, 'tenant_id')} = ${ref(m, 'tenant_id')} AND ${ref(g, 'id')} = ${ref(m, 'group_id')} WHERE ${ref(m, 'tenant_id')} = ${row('tenant_id')} AND ${ref(m, 'user_id')} = ${row('id')} AND ${cond(element)})`;
      }
      const u = fresh('u');
      const element: Element = {
        whole: OBJECT,
        field: (sub) => {
          switch (sub.name) {
            case 'value': return textSlot(ref(m, 'user_id'));
            case 'display': return textSlot(sql`COALESCE(${ref(u, 'display_name')}, ${ref(u, 'user_name')})`);
            case 'type': return constant('User');
            case '$ref': return textSlot(sql`(${'/Users/'} || ${ref(m, 'user_id')})`);
            default: return ABSENT;
          }
        },
      };
      return sql<SqlBool>`EXISTS (SELECT 1 FROM ${memberships} JOIN ${sql.table(tables.name('users'))} AS ${sql.id(u)} ON ${ref(u, 'tenant_id')} = ${ref(m, 'tenant_id')} AND ${ref(u, 'id')} = ${ref(m, 'user_id')} WHERE ${ref(m, 'tenant_id')} = ${row('tenant_id')} AND ${ref(m, 'group_id')} = ${row('id')} AND ${cond(element)})`;
    },
  });

  // The license extension is the user's assignment; no assignment reads as status "released" (see licenseOf).
  const licenseSlot = (attribute: string): ValueSlot => {
    const a = fresh('a');
    const column = (name: 'tier' | 'status') =>
      sql`(SELECT ${ref(a, name)} FROM ${sql.table(tables.name('assignments'))} AS ${sql.id(a)} WHERE ${ref(a, 'tenant_id')} = ${row('tenant_id')} AND ${ref(a, 'user_id')} = ${row('id')})`;
    if (attribute === 'tier') return textSlot(column('tier'));
    if (attribute === 'status') return textSlot(sql`COALESCE(${column('status')}, ${'released'})`);
    return ABSENT;
  };

  // meta is computed from columns, as toUserResource / toGroupResource build it (with an empty base URL).
  const metaSlot = (sub: AttributeDefinition | null): ValueSlot => {
    switch (sub?.name) {
      case undefined: return OBJECT;
      case 'created': return textSlot(row('created'));
      case 'lastModified': return textSlot(row('last_modified'));
      case 'resourceType': return constant(resource);
      case 'location': return textSlot(sql`(${resource === 'User' ? '/Users/' : '/Groups/'} || ${row('id')})`);
      case 'version': return textSlot(sql`(${'W/"'} || CAST(${row('version')} AS TEXT) || ${'"'})`);
      default: return ABSENT;
    }
  };

  // Attributes kept in their own columns; everything else is read from the document.
  const columnValues = (name: string, sub: AttributeDefinition | null): Values | null => {
    const simple = (slot: ValueSlot) => scalar(sub ? ABSENT : slot);
    switch (name) {
      case 'id': return simple(textSlot(row('id')));
      case 'meta': return scalar(metaSlot(sub));
      // A group's displayName is stored folded too (indexed): IdPs look groups up by it, ignoring case.
      case 'displayName': return simple(resource === 'Group' ? textSlot(row('display_name'), row<string>('display_name_lower')) : textSlot(row('display_name')));
      case 'externalId': return simple(textSlot(row('external_id')));
      default: break;
    }
    if (isMembership(name)) return elementsOf(membershipCollection(), sub);
    if (resource === 'User' && name === 'userName') return simple(textSlot(row('user_name'), row<string>('user_name_lower')));
    return null;
  };

  const top: Scope = {
    values: ({ extension, attribute, subAttribute }) => {
      if (extension?.id === LICENSE_USER_SCHEMA && resource === 'User') return scalar(subAttribute ? ABSENT : licenseSlot(attribute.name));
      if (extension) return docValues([extension.id], attribute, subAttribute);
      return columnValues(attribute.name, subAttribute) ?? docValues([], attribute, subAttribute);
    },
    collection: ({ extension, attribute }) => {
      if (extension) return jsonCollection([extension.id, attribute.name]);
      return isMembership(attribute.name) ? membershipCollection() : jsonCollection([attribute.name]);
    },
  };

  // Inside `attr[...]` paths name the element's sub-attributes, as in the reference's valuesInElement.
  const within = (element: Element): Scope => ({
    values: (target) => scalar(target.subAttribute ? element.field(target.subAttribute) : ABSENT),
    collection: () => {
      throw new Error('A value-path filter cannot nest inside another');
    },
  });

  /** The test one value must pass for `op value`, or null when no value can (the reference answers false). */
  const comparison = (def: AttributeDefinition, op: Exclude<CompareOperator, 'ne'>, expected: string | number | boolean): Test | null => {
    switch (def.type) {
      case 'boolean': {
        if (op !== 'eq') return null;
        const wanted = asBoolean(expected);
        return (s) => sql<SqlBool>`(${s.present} AND ${wanted ? s.truthy : sql`(NOT ${s.truthy})`})`;
      }
      case 'integer':
      case 'decimal': {
        const n = Number(expected);
        if (Number.isNaN(n) || !isOrdering(op)) return null;
        // Guarded here, not only by `scalar`: a definite slot's number is NULL when its text is not one.
        return (s) => sql<SqlBool>`(${s.present} AND COALESCE(${s.number} ${sql.raw(ORDERING[op])} ${n}, FALSE))`;
      }
      case 'dateTime': {
        // Compared as instants on both sides: meta holds toISOString() text, but host extensions may hold any xsd:dateTime form.
        const ms = parseInstant(String(expected));
        if (ms === null || !isOrdering(op)) return null;
        return (s) => sql<SqlBool>`(${s.present} AND COALESCE(${dialect.instant(s.text)} ${sql.raw(ORDERING[op])} ${ms}, FALSE))`;
      }
      default: {
        const needle = def.caseExact ? String(expected) : String(expected).toLowerCase();
        const subject = (s: ValueSlot) => (def.caseExact ? s.text : s.folded ?? dialect.fold(s.text));
        if (!isOrdering(op)) return (s) => sql<SqlBool>`(${s.present} AND ${dialect.textMatch(op, subject(s), needle)})`;
        if (op === 'eq') return (s) => sql<SqlBool>`(${s.present} AND ${subject(s)} = ${needle})`;
        return (s) => sql<SqlBool>`(${s.present} AND ${dialect.byCodePoint(subject(s))} ${sql.raw(ORDERING[op])} ${needle})`;
      }
    }
  };

  const compare = (scope: Scope, target: ResolvedAttribute, op: CompareOperator, value: CompareValue): Condition => {
    const values = scope.values(target);
    // `eq null` asks for absence, `ne null` for presence (RFC 7643 §2.5).
    if (value === null) return op === 'eq' ? sql<SqlBool>`(NOT ${values.some((s) => s.present)})` : op === 'ne' ? values.some((s) => s.present) : FALSE;
    const def = target.subAttribute ?? target.attribute;
    const test = comparison(def, op === 'ne' ? 'eq' : op, value);
    if (op === 'ne') return test ? sql<SqlBool>`(NOT ${values.some(test)})` : TRUE;
    return test ? values.some(test) : FALSE;
  };

  const translate = (node: FilterTree, scope: Scope): Condition => {
    switch (node.kind) {
      case 'and':
      case 'or': {
        if (node.filters.length === 0) return node.kind === 'and' ? TRUE : FALSE;
        const parts = node.filters.map((f) => translate(f, scope));
        return sql<SqlBool>`(${sql.join(parts, node.kind === 'and' ? sql` AND ` : sql` OR `)})`;
      }
      case 'not':
        return sql<SqlBool>`(NOT ${translate(node.filter, scope)})`;
      case 'present':
        return scope.values(node.target).some((s) => s.present);
      case 'valuePath':
        return scope.collection(node.target).some((element) =>
          sql<SqlBool>`(${element.whole.present} AND ${translate(node.filter, within(element))})`);
      case 'compare':
        return compare(scope, node.target, node.op, node.value);
    }
  };

  return { top, translate };
};

/** Translates a filter into a condition on the row aliased `context.alias`. */
export const filterToSql = (tree: FilterTree, context: FilterSqlContext): Expression<SqlBool> => {
  const { top, translate } = sqlScope(context);
  return translate(tree, top);
};

type SortKey = { missing: Expression<number>; key: Expression<unknown> };

// The sort value of one slot by the attribute's type, and whether it is there.
const sortKeyOf = (def: AttributeDefinition, context: FilterSqlContext, pick: <T>(expr: (slot: ValueSlot) => Expression<T>) => Expression<T>, present: Expression<SqlBool>): SortKey => {
  const { dialect } = context;
  const missing = sql<number>`(CASE WHEN ${present} THEN 0 ELSE 1 END)`;
  switch (def.type) {
    case 'boolean': return { missing, key: pick((s) => sql`(CASE WHEN ${s.truthy} THEN 1 ELSE 0 END)`) };
    case 'integer':
    case 'decimal': return { missing, key: pick((s) => s.number) };
    case 'dateTime': return { missing, key: pick((s) => dialect.instant(s.text)) };
    default: return { missing, key: dialect.byCodePoint(pick((s) => (def.caseExact ? s.text : s.folded ?? dialect.fold(s.text)))) };
  }
};

// RFC 7644 §3.4.2.3, as sort-resources.ts reads it: the value of the primary element when it has one,
// else the first value in array order. Each use gets its own FROM item, so the subqueries stay apart.
const multiValuedSortKey = (sort: SortSpec, context: FilterSqlContext): SortKey => {
  const { target } = sort;
  const keys = target.extension ? [target.extension.id, target.attribute.name] : [target.attribute.name];
  const doc = sql.ref<string>(`${context.alias}.doc`);
  let uses = 0;
  const elements = () => {
    const e = context.dialect.jsonElements(doc, keys, `s${++uses}`);
    return { e, slot: target.subAttribute ? e.field(target.subAttribute.name) : e.element };
  };
  const pick = <T>(expr: (slot: ValueSlot) => Expression<T>): Expression<T> => {
    const { e, slot } = elements();
    const order = [...(hasPrimary(target.attribute) ? [sql`(CASE WHEN ${e.field('primary').truthy} THEN 0 ELSE 1 END)`] : []), e.position];
    return sql<T>`(SELECT ${expr(slot)} FROM ${e.from} WHERE ${slot.present} ORDER BY ${sql.join(order)} LIMIT 1)`;
  };
  const { e, slot } = elements();
  return sortKeyOf(target.subAttribute ?? target.attribute, context, pick, sql<SqlBool>`EXISTS (SELECT 1 FROM ${e.from} WHERE ${slot.present})`);
};

/**
 * ORDER BY terms for `sortBy`, as core/list/sort-resources.ts orders: rows without a value last, then
 * the value by its type (strings folded unless caseExact, dateTimes as instants), ascending or
 * descending; a multi-valued attribute by its primary value, else its first.
 */
export const sortToSql = (sort: SortSpec, context: FilterSqlContext): SortKey => {
  if (sort.target.attribute.multiValued) return multiValuedSortKey(sort, context);
  const slot = sqlScope(context).top.values(sort.target).single;
  if (!slot) throw new Error('sortBy must name an attribute of the document or a column');
  return sortKeyOf(sort.target.subAttribute ?? sort.target.attribute, context, (expr) => expr(slot), slot.present);
};
