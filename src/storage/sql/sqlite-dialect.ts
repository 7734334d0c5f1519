/**
 * SQLite's side of the SQL adapter: JSON through json_type / json_extract / json_each, the write lock
 * through BEGIN IMMEDIATE, and functions where SQLite's built-ins would disagree with the
 * reference filter evaluator:
 * - `lower()` only folds ASCII, so case folding calls `seatkit_lower`, a JavaScript toLowerCase the
 *   connection must have registered (see {@link registerSqliteFunctions});
 * - `unixepoch()` takes forms xsd:dateTime does not (`2024-01-05 10:00`, month 2 day 30), so
 *   dateTimes are read by `seatkit_instant`, which is the reference's own parseInstant;
 * - `LIKE` ignores ASCII case even for caseExact attributes, so substring matches use `GLOB`, which
 *   is case-sensitive; callers fold both sides first when the attribute ignores case.
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { parseInstant } from '../../core/schema/parse-instant';
import type { Database } from './schema';
import type { JsonElements, SqlDialect, TextMatch, ValueSlot } from './sql-dialect';

export const SQLITE_FOLD_FUNCTION = 'seatkit_lower';
export const SQLITE_INSTANT_FUNCTION = 'seatkit_instant';

/** The part of a better-sqlite3 handle needed to register functions; structural, so no driver import here. */
export interface SqliteFunctionRegistry {
  function(name: string, options: { deterministic: boolean }, fn: (value: unknown) => unknown): unknown;
}

/**
 * Registers the functions the SQLite dialect calls on a connection.
 * @example
 * registerSqliteFunctions(new BetterSqlite3(':memory:'));
 */
export const registerSqliteFunctions = (database: SqliteFunctionRegistry): void => {
  database.function(SQLITE_FOLD_FUNCTION, { deterministic: true }, (v) => (typeof v === 'string' ? v.toLowerCase() : v));
  database.function(SQLITE_INSTANT_FUNCTION, { deterministic: true }, (v) => (typeof v === 'string' ? parseInstant(v) : null));
};

// Keys come from schema definitions, never from filter text; a quote would still break out of the path.
const jsonPath = (keys: readonly string[]): string => {
  for (const key of keys) if (/["\\]/.test(key)) throw new Error(`Cannot address the JSON key ${key}`);
  return `$${keys.map((k) => `."${k}"`).join('')}`;
};

const fold = (text: Expression<unknown>) => sql<string | null>`${sql.raw(SQLITE_FOLD_FUNCTION)}(${text})`;

// `type` is json_type's answer (null when the path is missing); `value` is json_extract's.
const slot = (type: Expression<unknown>, value: Expression<unknown>, arrayLength: Expression<unknown>): ValueSlot => ({
  present: sql<SqlBool>`(${type} IS NOT NULL AND (${type} NOT IN ('null', 'text', 'array') OR (${type} = 'text' AND ${value} <> '') OR (${type} = 'array' AND ${arrayLength} > 0)))`,
  text: sql<string | null>`(CASE ${type} WHEN 'text' THEN ${value} WHEN 'integer' THEN CAST(${value} AS TEXT) WHEN 'real' THEN CAST(${value} AS TEXT) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' END)`,
  number: sql<number | null>`(CASE ${type} WHEN 'integer' THEN ${value} WHEN 'real' THEN ${value} WHEN 'true' THEN 1 WHEN 'false' THEN 0 END)`,
  truthy: sql<SqlBool>`(${type} IS NOT NULL AND (${type} = 'true' OR (${type} = 'text' AND ${fold(value)} = 'true')))`,
});

// The value at a JSON path (a bound string, or an expression yielding one) of a document.
const at = (doc: Expression<string | null>, path: Expression<unknown> | string): ValueSlot =>
  slot(sql`json_type(${doc}, ${path})`, sql`json_extract(${doc}, ${path})`, sql`json_array_length(${doc}, ${path})`);

// json_each's `value` is plain text for a string element, which JSON functions cannot read, but the
// JSON text of an object element, which they can: a sub-attribute is read from the element alone.
// Reading it from the whole document instead would parse the document once per element.
const elements = (doc: Expression<string>, keys: readonly string[], alias: string): JsonElements => {
  const type = sql.ref(`${alias}.type`);
  const value = sql.ref(`${alias}.value`);
  const object = sql<string | null>`(CASE WHEN ${type} = 'object' THEN ${value} END)`;
  return {
    from: sql`json_each(${doc}, ${jsonPath(keys)}) AS ${sql.id(alias)}`,
    element: slot(type, value, sql`(CASE WHEN ${type} = 'array' THEN json_array_length(${value}) END)`),
    // json_each's `key` is the array index.
    position: sql.ref<number | null>(`${alias}.key`),
    field: (key) => at(object, jsonPath([key])),
  };
};

const GLOB_SPECIAL = /[*?[]/g;

const globPattern = (op: TextMatch, needle: string): string => {
  const literal = needle.replace(GLOB_SPECIAL, (c) => `[${c}]`);
  return op === 'co' ? `*${literal}*` : op === 'sw' ? `${literal}*` : `*${literal}`;
};

const instant = (text: Expression<string | null>) => sql<number | null>`${sql.raw(SQLITE_INSTANT_FUNCTION)}(${text})`;

const errorCode = (error: unknown): string =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : '';

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  // IMMEDIATE takes the database's write lock up front, so writers in other processes sharing the
  // file queue here too (SQLite has no row locks; the tenant lock is the whole database).
  begin: async (conn: Kysely<Database>) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
  },
  jsonAt: (doc, keys) => at(doc, jsonPath(keys)),
  jsonElements: elements,
  fold,
  instant,
  textMatch: (op, subject, needle) => sql<SqlBool>`(${subject} GLOB ${globPattern(op, needle)})`,
  // SQLite's default BINARY collation compares UTF-8 bytes, which is code point order.
  byCodePoint: (text) => text,
  isUnavailable: (error) =>
    /^SQLITE_(BUSY|LOCKED)/.test(errorCode(error)) || (error instanceof Error && /database (table )?is locked/i.test(error.message)),
  // One writer at a time holds the whole database, so no transaction ever loses a conflict.
  isTransient: () => false,
};
