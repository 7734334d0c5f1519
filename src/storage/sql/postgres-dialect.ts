/**
 * PostgreSQL's side of the SQL adapter.
 *
 * - A unit of work opens a READ COMMITTED transaction and locks the tenant's row (`FOR UPDATE`)
 *   before anything else. Every writer of a tenant takes that one lock first, so writers on any
 *   number of app instances queue in arrival order and never deadlock; readers take no lock.
 * - Documents are stored as JSON text (one portable schema) and read as `jsonb` where a filter looks
 *   inside them. Paths are bound as text[] parameters; keys come from schema definitions anyway.
 * - Case folding uses the ICU root collation when the server has it, which folds as JavaScript's
 *   toLowerCase does (İ, final sigma); ordering uses the "C" collation, which is code point order.
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database, Tables } from './schema';
import type { JsonElements, SqlDialect, TextMatch, ValueSlot } from './sql-dialect';
import { isPostgresTransient, isPostgresUnavailable } from './postgres-errors';

export interface PostgresDialectOptions {
  /** The server has the `und-x-icu` collation (PostgreSQL built with ICU, as most packages are). */
  readonly icu: boolean;
  /**
   * Settings (name, milliseconds) each unit of work sets for its own transaction (`SET LOCAL`): for a
   * pool that is the host's, whose sessions seatkit does not configure.
   */
  readonly localSettings?: readonly (readonly [name: string, ms: number])[];
}

// jsonb_typeof and the value of one JSON item, so every slot reads the same way.
const slot = (value: Expression<unknown>, fold: SqlDialect['fold']): ValueSlot => {
  const type = sql`jsonb_typeof(${value})`;
  const string = sql<string>`(${value} #>> '{}')`;
  return {
    // CASE, because PostgreSQL may evaluate AND's operands in any order and jsonb_array_length throws on non-arrays.
    present: sql<SqlBool>`(CASE WHEN ${value} IS NULL THEN FALSE ELSE (CASE ${type} WHEN 'null' THEN FALSE WHEN 'string' THEN ${string} <> '' WHEN 'array' THEN jsonb_array_length(${value}) > 0 ELSE TRUE END) END)`,
    // float8's shortest round-trip text is what JavaScript's String(number) prints for ordinary numbers.
    text: sql<string | null>`(CASE ${type} WHEN 'string' THEN ${string} WHEN 'number' THEN CAST(CAST(${string} AS float8) AS text) WHEN 'boolean' THEN ${string} END)`,
    number: sql<number | null>`(CASE ${type} WHEN 'number' THEN CAST(${string} AS float8) WHEN 'boolean' THEN (CASE WHEN ${string} = 'true' THEN 1 ELSE 0 END) END)`,
    truthy: sql<SqlBool>`(CASE ${type} WHEN 'boolean' THEN ${string} = 'true' WHEN 'string' THEN ${fold(string)} = 'true' ELSE FALSE END)`,
  };
};

const document = (doc: Expression<string>) => sql`CAST(${doc} AS jsonb)`;
const at = (doc: Expression<string>, keys: readonly string[]) => sql`(${document(doc)} #> CAST(${[...keys]} AS text[]))`;

const elements = (fold: SqlDialect['fold']) => (doc: Expression<string>, keys: readonly string[], alias: string): JsonElements => {
  const value = at(doc, keys);
  const element = sql.ref(`${alias}.value`);
  return {
    // The reference reads a single value where an array belongs as a one-element array.
    from: sql`jsonb_array_elements(CASE WHEN ${value} IS NULL THEN CAST('[]' AS jsonb) WHEN jsonb_typeof(${value}) = 'array' THEN ${value} ELSE jsonb_build_array(${value}) END) WITH ORDINALITY AS ${sql.id(alias)}(value, ord)`,
    element: slot(element, fold),
    position: sql.ref<number | null>(`${alias}.ord`),
    field: (key) => slot(sql`(CASE jsonb_typeof(${element}) WHEN 'object' THEN ${element} -> ${key} END)`, fold),
  };
};

// LIKE with every wildcard escaped: case-sensitive in PostgreSQL, and able to use an index for prefixes.
const likePattern = (op: TextMatch, needle: string): string => {
  const literal = needle.replace(/[\\%_]/g, (c) => `\\${c}`);
  return op === 'co' ? `%${literal}%` : op === 'sw' ? `${literal}%` : `%${literal}`;
};

// parseInstant's grammar (core/schema/parse-instant.ts): xsd:dateTime or a date, no offset meaning UTC.
const XSD_DATE_TIME = '^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]+))?(Z|([+-])([0-9]{2}):([0-9]{2}))?)?$';

// Checked and built by arithmetic rather than a cast, so text that only looks like a dateTime
// (2024-02-30, 25:00:00) is NULL, as parseInstant answers, and never an error that fails the query.
// The date is checked in a WHEN of its own before make_timestamptz sees it: PostgreSQL may evaluate
// OR's operands in any order, but a CASE's branches in turn.
const instant = (text: Expression<string | null>) => sql<number | null>`(SELECT CASE
    WHEN p IS NULL THEN NULL
    WHEN CAST(p[1] AS int) < 1 OR CAST(p[2] AS int) NOT BETWEEN 1 AND 12 OR CAST(p[3] AS int) < 1
      OR CAST(COALESCE(p[4], '0') AS int) > 23 OR CAST(COALESCE(p[5], '0') AS int) > 59 OR CAST(COALESCE(p[6], '0') AS int) > 59
      OR CAST(COALESCE(p[11], '0') AS int) > 59 OR CAST(COALESCE(p[10], '0') AS int) * 60 + CAST(COALESCE(p[11], '0') AS int) > 840 THEN NULL
    WHEN CAST(p[3] AS int) > (CASE
      WHEN CAST(p[2] AS int) = 2 THEN (CASE WHEN (CAST(p[1] AS int) % 4 = 0 AND CAST(p[1] AS int) % 100 <> 0) OR CAST(p[1] AS int) % 400 = 0 THEN 29 ELSE 28 END)
      WHEN CAST(p[2] AS int) IN (4, 6, 9, 11) THEN 30 ELSE 31 END) THEN NULL
    ELSE round(extract(epoch FROM make_timestamptz(CAST(p[1] AS int), CAST(p[2] AS int), CAST(p[3] AS int),
        CAST(COALESCE(p[4], '0') AS int), CAST(COALESCE(p[5], '0') AS int), CAST(COALESCE(p[6], '0') AS int), 'UTC')) * 1000)
      + CAST(substr(COALESCE(p[7], '') || '000', 1, 3) AS int)
      - (CASE p[9] WHEN '-' THEN -1 ELSE 1 END) * (CAST(COALESCE(p[10], '0') AS int) * 60 + CAST(COALESCE(p[11], '0') AS int)) * 60000
  END FROM regexp_match(${text}, ${XSD_DATE_TIME}) AS m(p))`;

/**
 * The PostgreSQL dialect; `icu` comes from {@link hasIcuCollation}.
 * @example
 * const dialect = postgresDialect({ icu: await hasIcuCollation(db) });
 */
export const postgresDialect = (options: PostgresDialectOptions): SqlDialect => {
  const fold: SqlDialect['fold'] = options.icu
    ? (text) => sql<string | null>`lower(CAST(${text} AS text) COLLATE "und-x-icu")`
    : (text) => sql<string | null>`lower(CAST(${text} AS text))`;
  const local = options.localSettings ?? [];
  return {
    name: 'postgres',
    begin: async (conn: Kysely<Database>, tables: Tables, tenantId: string) => {
      await sql`BEGIN`.execute(conn);
      // Before the lock is asked for, so lock_timeout bounds the wait for it.
      if (local.length > 0) await sql`SELECT ${sql.join(local.map(([name, ms]) => sql`set_config(${name}, ${String(ms)}, true)`))}`.execute(conn);
      await conn.selectFrom(tables.name('tenants')).select('id').where('id', '=', tenantId).forUpdate().execute();
    },
    jsonAt: (doc, keys) => slot(at(doc, keys), fold),
    jsonElements: elements(fold),
    fold,
    instant,
    // IS NOT NULL AND, not COALESCE: the same answer, but the planner only sees a LIKE it can serve
    // from the prefix index (users_user_name_prefix) when it stands bare.
    textMatch: (op, subject, needle) => sql<SqlBool>`(${subject} IS NOT NULL AND ${subject} LIKE ${likePattern(op, needle)})`,
    byCodePoint: (text) => sql<string | null>`(CAST(${text} AS text) COLLATE "C")`,
    isUnavailable: isPostgresUnavailable,
    isTransient: isPostgresTransient,
  };
};

/**
 * Whether the server offers the ICU root collation that folds case as JavaScript does.
 * @example
 * const icu = await hasIcuCollation(db);
 */
export const hasIcuCollation = async (db: Kysely<Database>): Promise<boolean> => {
  const { rows } = await sql<{ found: boolean }>`SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') AS found`.execute(db);
  return rows[0]?.found === true;
};
