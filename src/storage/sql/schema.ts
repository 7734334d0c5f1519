/**
 * The SQL tables seatkit stores tenants in, typed for Kysely. Table names carry a prefix so seatkit
 * can share a database with the application that embeds it (or with a second seatkit).
 *
 * Queries are written against the logical names below; `Tables` maps them to the prefixed physical
 * names while keeping Kysely's column checks.
 */

export interface TenantsTable {
  readonly id: string;
  readonly name: string;
  /** The contract as JSON text. */
  readonly contract: string;
  readonly license_seq: number;
  /** The contract phase the license engine last acted on: active, grace or expired. */
  readonly license_phase: string;
  /** The last outbox sequence number delivered to the host. */
  readonly events_delivered: number;
}

export interface TokensTable {
  /** SHA-256 hex digest of the bearer token; the token itself is never stored. */
  readonly token_hash: string;
  readonly tenant_id: string;
}

export interface UsersTable {
  readonly tenant_id: string;
  readonly id: string;
  readonly user_name: string;
  /** userName folded with JavaScript's toLowerCase, the key of case-insensitive lookups and uniqueness. */
  readonly user_name_lower: string;
  readonly external_id: string | null;
  /** 1, 0, or null when the document has no boolean `active`. */
  readonly active: number | null;
  readonly display_name: string | null;
  /** The canonical SCIM document as JSON text. */
  readonly doc: string;
  readonly created: string;
  readonly last_modified: string;
  readonly version: number;
}

export interface GroupsTable {
  readonly tenant_id: string;
  readonly id: string;
  readonly display_name: string;
  /** displayName folded with JavaScript's toLowerCase: IdPs look groups up by it, ignoring case. */
  readonly display_name_lower: string;
  readonly external_id: string | null;
  readonly doc: string;
  readonly created: string;
  readonly last_modified: string;
  readonly version: number;
}

export interface MembershipsTable {
  readonly tenant_id: string;
  readonly group_id: string;
  readonly user_id: string;
  /** Insertion order within the group: members are listed in the order they were added. */
  readonly position: number;
}

export interface AssignmentsTable {
  readonly tenant_id: string;
  readonly user_id: string;
  readonly tier: string;
  readonly status: string;
  readonly queued_at: number | null;
  readonly since: string;
  readonly wanted_tier: string | null;
  readonly release_at: string | null;
  readonly reason: string | null;
}

/**
 * Assigned and pending counts per tier, kept in step with `assignments` by every change set, so the
 * seat gate reads one short row per tier instead of counting a tenant's assignments on each write.
 * Its rows are also what a unit of work locks in databases with row locks.
 */
export interface SeatCountsTable {
  readonly tenant_id: string;
  readonly tier: string;
  readonly assigned: number;
  readonly pending: number;
  readonly releasing: number;
}

/** The append-only license ledger; `entry` holds the line's other fields as JSON text. */
export interface LedgerTable {
  readonly tenant_id: string;
  readonly seq: number;
  readonly user_id: string;
  readonly entry: string;
}

/** License events waiting for (or past) delivery; `tenants.events_delivered` marks how far delivery got. */
export interface OutboxTable {
  readonly tenant_id: string;
  readonly seq: number;
  readonly id: string;
  readonly at: string;
  /** The effect as JSON text. */
  readonly effect: string;
}

export interface Database {
  readonly tenants: TenantsTable;
  readonly tokens: TokensTable;
  readonly users: UsersTable;
  readonly groups: GroupsTable;
  readonly memberships: MembershipsTable;
  readonly assignments: AssignmentsTable;
  readonly seat_counts: SeatCountsTable;
  readonly ledger: LedgerTable;
  readonly outbox: OutboxTable;
}

export type TableName = keyof Database;

export const TABLE_NAMES: readonly TableName[] = ['tenants', 'tokens', 'users', 'groups', 'memberships', 'assignments', 'seat_counts', 'ledger', 'outbox'];

export const DEFAULT_TABLE_PREFIX = 'seatkit_';

export interface Tables {
  readonly prefix: string;
  /** The database schema (PostgreSQL) holding the tables; undefined for the connection's default. */
  readonly schema?: string;
  /** The physical name, typed as the logical one so Kysely still checks columns. Use with unqualified columns. */
  name<T extends TableName>(table: T): T;
  /** `physical as alias`, for queries that qualify their columns. */
  as<T extends TableName, A extends string>(table: T, alias: A): `${T} as ${A}`;
}

// Kysely reads `a.b` as schema.table and `a as b` as an alias, so the prefix must be a plain identifier part.
const PREFIX = /^(?:[A-Za-z_][A-Za-z0-9_]*)?$/;

const SCHEMA = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The tables for a prefix (default `seatkit_`), optionally in a named schema. */
export const tables = (prefix: string = DEFAULT_TABLE_PREFIX, schema?: string): Tables => {
  if (!PREFIX.test(prefix)) throw new Error(`Invalid table prefix '${prefix}': use letters, digits and underscores`);
  if (schema !== undefined && !SCHEMA.test(schema)) throw new Error(`Invalid schema name '${schema}': use letters, digits and underscores`);
  // Kysely reads `schema.table` as a qualified name wherever a table goes, raw `sql.table` included.
  const qualified = schema === undefined ? prefix : `${schema}.${prefix}`;
  return {
    prefix,
    ...(schema === undefined ? {} : { schema }),
    name: <T extends TableName>(table: T) => `${qualified}${table}` as T,
    as: <T extends TableName, A extends string>(table: T, alias: A) => `${qualified}${table} as ${alias}` as `${T} as ${A}`,
  };
};
