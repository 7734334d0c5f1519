/**
 * The pool Kysely takes its PostgreSQL connections from: the owner's `pg.Pool` (seatkit's own or the
 * host's), with what seatkit needs on each connection while it holds one, and nothing left behind
 * when it gives the connection back.
 *
 * - Every query carries a client-side deadline (`query_timeout`). When the network stops forwarding
 *   without closing, the server never answers and no server-side timeout reaches the client: only
 *   the client's own clock ends the request.
 * - A connection whose query ran out of time is broken: its answer may still arrive and be read as
 *   the answer to the next query. Its later queries fail at once (so a ROLLBACK does not wait out a
 *   second deadline) and it is destroyed on release, never reused.
 * - While seatkit holds a connection, an `error` it emits (server or network dropped it) is heard
 *   here: unheard, Node ends the process. The query running on it fails by itself, and that is what
 *   seatkit reports. The listener goes when the connection goes back, so the host's pool is as it was.
 */
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

export interface TimedPoolOptions {
  /** Client-side deadline of each query in milliseconds; 0 for none. */
  readonly queryTimeoutMs: number;
  /** `end()` ends the pg pool: only for the pool seatkit opened itself. */
  readonly owned: boolean;
}

// pg's own message when query_timeout fires.
const READ_TIMEOUT = /Query read timeout/;

/**
 * Wraps `pool` for Kysely's PostgresDialect.
 * @example
 * const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: timedPool(pool, { queryTimeoutMs: 20_000, owned: true }) }) });
 */
export const timedPool = (pool: pg.Pool, options: TimedPoolOptions): PostgresPool => ({
  connect: async (): Promise<PostgresPoolClient> => {
    const client = await pool.connect();
    let broken: unknown = null;
    const heard = (error: unknown) => {
      broken ??= error;
    };
    client.on('error', heard);
    const timeout = options.queryTimeoutMs > 0 ? { query_timeout: options.queryTimeoutMs } : {};
    const query = (text: string | PostgresCursor<unknown>, values?: ReadonlyArray<unknown>) => {
      // A cursor (streaming) keeps its own protocol; it is passed through as it is.
      if (typeof text !== 'string') return client.query(text as unknown as pg.Submittable) as unknown as PostgresCursor<unknown>;
      if (broken !== null) return Promise.reject(broken);
      return client.query({ text, values: values === undefined ? [] : [...values], ...timeout } as pg.QueryConfig).catch((error: unknown) => {
        if (READ_TIMEOUT.test(error instanceof Error ? error.message : '')) broken ??= error;
        throw error;
      }) as Promise<PostgresQueryResult<unknown>>;
    };
    return {
      query: query as PostgresPoolClient['query'],
      release: (destroy?: boolean) => {
        client.removeListener('error', heard);
        client.release(destroy === true || broken !== null ? true : undefined);
      },
    };
  },
  end: async () => {
    if (options.owned) await pool.end();
  },
});
