/**
 * The few things SQLite and PostgreSQL spell differently, kept in one small object so the rest of the
 * SQL adapter is plain Kysely: how a unit of work takes its lock, how JSON documents are read, how
 * case is folded, how a literal substring is matched, how text is ordered, and which errors mean
 * "retry later".
 *
 * Upserts are not here: Kysely's `onConflict` compiles to the same `ON CONFLICT ... DO UPDATE` on both.
 */
import type { Expression, Kysely, RawBuilder, SqlBool } from 'kysely';
import type { Database, Tables } from './schema';

/**
 * One value a filter looks at, described the way the reference evaluator reads values, so that
 * filter-to-sql never needs to know how the database stores JSON.
 * Every expression is a plain SQL value; none of the booleans is ever NULL.
 */
export interface ValueSlot {
  /** The value is there and not null, "" or [] (what the reference counts as present). */
  readonly present: Expression<SqlBool>;
  /** The value as JavaScript's String() renders it, when it is a string, number or boolean; NULL otherwise. */
  readonly text: Expression<string | null>;
  /** The text already folded to lower case, when the row stores it (an indexed column). */
  readonly folded?: Expression<string | null>;
  /** The value as a number, when it is a number or boolean; NULL otherwise. */
  readonly number: Expression<number | null>;
  /** The value is JSON true or the string "true" in any case. */
  readonly truthy: Expression<SqlBool>;
  /**
   * `text` and `folded` are NULL only when `present` is FALSE (a column, not a JSON value), so a test
   * on the slot is never NULL and needs no COALESCE, which would hide an indexed column from the planner.
   */
  readonly definite?: boolean;
}

/** The elements of a JSON array as a FROM item, and the slots of each element. */
export interface JsonElements {
  /** A FROM item (`json_each(...) AS e`), one row per element. */
  readonly from: RawBuilder<unknown>;
  /** The element itself. */
  readonly element: ValueSlot;
  /** The element's place in the array, ascending in array order (sorting takes the first value). */
  readonly position: Expression<number | null>;
  /** A member of the element, absent when the element is not an object. */
  field(key: string): ValueSlot;
}

export type TextMatch = 'co' | 'sw' | 'ew';

export interface SqlDialect {
  readonly name: string;
  /** Opens the unit of work's transaction on `conn` and takes the write lock covering the tenant. */
  begin(conn: Kysely<Database>, tables: Tables, tenantId: string): Promise<void>;
  /** The value at a path of object keys in a JSON document column. Keys come from schema definitions. */
  jsonAt(doc: Expression<string>, keys: readonly string[]): ValueSlot;
  /** The elements of the JSON array at a path, aliased `alias`; an absent path has no elements. */
  jsonElements(doc: Expression<string>, keys: readonly string[], alias: string): JsonElements;
  /** Lower-cases text exactly as JavaScript's toLowerCase does. */
  fold(text: Expression<string | null>): Expression<string | null>;
  /**
   * Milliseconds since the epoch of an xsd:dateTime or `YYYY-MM-DD` text, exactly as
   * core/schema/parse-instant.ts reads it (no offset means UTC, digits beyond milliseconds dropped);
   * NULL when the text is not one, never an error.
   */
  instant(text: Expression<string | null>): Expression<number | null>;
  /** Case-sensitive contains / starts with / ends with a literal needle (no wildcards of its own). */
  textMatch(op: TextMatch, subject: Expression<string | null>, needle: string): Expression<SqlBool>;
  /**
   * Text that `<`, `>` and ORDER BY compare by code point, as the reference does, whatever the
   * database's collation. Equality needs no wrapping (and keeps its indexes without it).
   */
  byCodePoint(text: Expression<string | null>): Expression<string | null>;
  /** The error says the database is busy, locked or unreachable: the request may succeed if retried. */
  isUnavailable(error: unknown): boolean;
  /**
   * The transaction lost a conflict with another (a serialization failure or a deadlock) and nothing
   * of it was kept, so the unit of work may simply run again.
   */
  isTransient(error: unknown): boolean;
}
