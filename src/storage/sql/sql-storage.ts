/**
 * The SQL StorageAdapter, shared by every SQL database: tenants and tokens, reads, and units of work.
 *
 * A unit of work holds one connection for its whole life: the dialect opens the transaction and takes
 * the tenant's write lock on it, the unit's reads and its commit run on it, and the transaction
 * commits when `work` resolves and rolls back when it throws. So the seat decision made inside the
 * unit cannot race another writer. Code running inside `work` must not call this adapter's other
 * methods: with SQLite's single connection they would wait for the unit to finish, which waits for them.
 */
import { sql, type Kysely } from 'kysely';
import type { Contract } from '../../core/license/contract';
import type { ChangeSet, StorageAdapter, TenantReader, TenantRecord } from '../../ports/storage-adapter';
import { StorageUnavailableError } from '../../service/lift';
import { unitOfWork } from '../shared/unit-of-work';
import { applyChangeSet } from './apply-change-set';
import { tables as tablesFor, type Database } from './schema';
import type { SqlDialect } from './sql-dialect';
import { sqlTenantReader } from './sql-tenant-reader';

// How often a unit of work runs before a serialization failure or deadlock is reported as unavailable.
const TRANSIENT_ATTEMPTS = 3;

export interface SqlStorageOptions {
  /** A Kysely instance on a database that `migrate` has prepared with the same prefix. */
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialect;
  /** Defaults to `seatkit_`. */
  readonly tablePrefix?: string;
  /** The schema `migrate` created the tables in (PostgreSQL); defaults to the connection's search_path. */
  readonly schema?: string;
  /** Destroys `db` on `close()`: only for a `db` created for this adapter alone. */
  readonly destroyOnClose?: boolean;
}

/**
 * Builds the storage adapter on a migrated database.
 * @example
 * const storage = sqlStorage({ db, dialect: sqliteDialect });
 */
export const sqlStorage = (options: SqlStorageOptions): StorageAdapter => {
  const { db, dialect } = options;
  const tables = tablesFor(options.tablePrefix, options.schema);
  const context = { tables, dialect };

  const translate = (error: unknown) =>
    (dialect.isUnavailable(error) || dialect.isTransient(error)) && !(error instanceof StorageUnavailableError)
      ? new StorageUnavailableError('The database is busy, locked or unreachable; retry later', { cause: error })
      : error;

  const guarded = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw translate(error);
    }
  };

  // A unit that lost a conflict kept nothing, and `work` only reads and commits, so it may run again.
  const retried = async <T>(attempt: () => Promise<T>): Promise<T> => {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        const cause = error instanceof StorageUnavailableError ? error.cause : error;
        if (tries >= TRANSIENT_ATTEMPTS || !dialect.isTransient(cause)) throw error;
      }
    }
  };

  // Reader calls are made by the service, which would take a raw driver error for a bug (500), not an outage (503).
  const guardedReader = (reader: TenantReader): TenantReader => Object.fromEntries(Object.entries(reader)
    .map(([name, method]) => [name, (...args: unknown[]) => guarded(() => (method as (...a: unknown[]) => Promise<unknown>)(...args))])) as unknown as TenantReader;

  const toTenant = (row: { id: string; name: string; contract: string }): TenantRecord => ({
    id: row.id, name: row.name, contract: JSON.parse(row.contract) as Contract,
  });

  const requireTenant = async (on: Kysely<Database>, tenantId: string) => {
    const row = await on.selectFrom(tables.name('tenants')).select('id').where('id', '=', tenantId).executeTakeFirst();
    if (!row) throw new Error(`Unknown tenant ${tenantId}`);
  };

  return {
    findTenantByTokenHash: (tokenHash) => guarded(async () => {
      const row = await db.selectFrom(tables.as('tokens', 'k'))
        .innerJoin(tables.as('tenants', 't'), 't.id', 'k.tenant_id')
        .select(['t.id', 't.name', 't.contract'])
        .where('k.token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row ? { tenant: toTenant(row), tokenHash } : null;
    }),

    getTenant: (tenantId) => guarded(async () => {
      const row = await db.selectFrom(tables.name('tenants')).select(['id', 'name', 'contract']).where('id', '=', tenantId).executeTakeFirst();
      return row ? toTenant(row) : null;
    }),

    putTenant: (tenant) => guarded(async () => {
      await db.insertInto(tables.name('tenants'))
        .values({ id: tenant.id, name: tenant.name, contract: JSON.stringify(tenant.contract), license_seq: 0, license_phase: 'active', events_delivered: 0 })
        .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), contract: eb.ref('excluded.contract') })))
        .execute();
    }),

    addToken: (tenantId, tokenHash) => guarded(async () => {
      await requireTenant(db, tenantId);
      await db.insertInto(tables.name('tokens'))
        .values({ token_hash: tokenHash, tenant_id: tenantId })
        .onConflict((oc) => oc.column('token_hash').doNothing())
        .execute();
      const holder = await db.selectFrom(tables.name('tokens')).select('tenant_id').where('token_hash', '=', tokenHash).executeTakeFirst();
      if (holder?.tenant_id !== tenantId) throw new Error('This bearer token already belongs to another tenant');
    }),

    revokeToken: (tokenHash) => guarded(async () => {
      await db.deleteFrom(tables.name('tokens')).where('token_hash', '=', tokenHash).execute();
    }),

    read: (tenantId, work) => guarded(async () => {
      await requireTenant(db, tenantId);
      return work(guardedReader(sqlTenantReader(db, context, tenantId)));
    }),

    write: (tenantId, work) => guarded(() => retried(() => db.connection().execute(async (conn) => {
      let applying: Promise<void> | null = null;
      let applyFailed = false;
      let applyError: unknown = null;
      // A commit still running would otherwise write outside the transaction once it has ended.
      const settled = async () => {
        await applying?.catch(() => undefined);
      };
      try {
        // Inside the try: a lock that timed out leaves the transaction open and aborted, and the
        // connection must not go back to the pool that way.
        await dialect.begin(conn, tables, tenantId);
        // Read once, after the lock: every write asks for its tenant, and nothing in the unit changes it before the commit.
        const row = await conn.selectFrom(tables.name('tenants')).select(['id', 'name', 'contract']).where('id', '=', tenantId).executeTakeFirst();
        if (!row) throw new Error(`Unknown tenant ${tenantId}`);
        const tenant = toTenant(row);
        const reader: TenantReader = { ...sqlTenantReader(conn, context, tenantId), tenant: async () => tenant };
        const unit = unitOfWork(guardedReader(reader), (changes: ChangeSet) => {
          applying = applyChangeSet(conn, tables, tenantId, changes).catch((error: unknown) => {
            applyFailed = true;
            applyError = error;
            throw translate(error);
          });
          return applying;
        });
        const result = await work(unit);
        await settled();
        // The service turns a failed commit into its own answer; a lost conflict is worth another run instead.
        if (applyFailed && dialect.isTransient(applyError)) throw applyError;
        // `work` may catch a failed commit and resolve; half a change set must still not land.
        await sql.raw(applyFailed ? 'ROLLBACK' : 'COMMIT').execute(conn);
        return result;
      } catch (error) {
        await settled();
        await sql.raw('ROLLBACK').execute(conn).catch(() => undefined);
        throw error;
      }
    }))),

    close: async () => {
      if (options.destroyOnClose) await db.destroy();
    },
  };
};
