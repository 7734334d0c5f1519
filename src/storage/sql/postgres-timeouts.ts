/**
 * How long PostgreSQL work may take before seatkit gives up and answers 503 (the IdP retries).
 * Without bounds, a network that stops forwarding without closing leaves a request waiting for ever
 * and its transaction holding the tenant's lock, so every other instance's writes to that tenant
 * wait too. Each bound has a default; 0 turns seatkit's bound off (the server's own setting, if any,
 * then applies).
 */

export interface PostgresTimeoutOptions {
  /**
   * The server cancels a statement that runs longer (`statement_timeout`). Default 15,000 ms.
   */
  readonly statementTimeoutMs?: number;
  /**
   * A write waits at most this long for its tenant's lock, held by a write to the same tenant on
   * any instance (`lock_timeout`). Default 10,000 ms.
   */
  readonly lockTimeoutMs?: number;
  /**
   * The server ends a session whose transaction has waited this long for its client
   * (`idle_in_transaction_session_timeout`): a client that vanished, or a policy that runs this long
   * inside the write. Ending it releases the tenant's lock. Default 15,000 ms.
   */
  readonly idleInTransactionTimeoutMs?: number;
  /**
   * A query with no answer after this long fails on the client, and its connection is discarded: the
   * bound that ends a request when the network hangs. Keep it above `statementTimeoutMs`, so the
   * server's own cancel arrives first when the server is merely slow. Default 20,000 ms.
   */
  readonly queryTimeoutMs?: number;
}

export interface PostgresTimeouts {
  readonly statementTimeoutMs: number;
  readonly lockTimeoutMs: number;
  readonly idleInTransactionTimeoutMs: number;
  readonly queryTimeoutMs: number;
}

export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = {
  statementTimeoutMs: 15_000,
  lockTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 15_000,
  queryTimeoutMs: 20_000,
};

const checked = (name: keyof PostgresTimeouts, value: number | undefined): number => {
  const ms = value ?? DEFAULT_POSTGRES_TIMEOUTS[name];
  if (!Number.isSafeInteger(ms) || ms < 0) throw new Error(`${name} must be a whole number of milliseconds, 0 or more`);
  return ms;
};

/**
 * The options' timeouts with defaults filled in; throws on a negative or fractional one.
 * @example
 * postgresTimeouts({ lockTimeoutMs: 2000 }).statementTimeoutMs; // 15000
 */
export const postgresTimeouts = (options: PostgresTimeoutOptions): PostgresTimeouts => ({
  statementTimeoutMs: checked('statementTimeoutMs', options.statementTimeoutMs),
  lockTimeoutMs: checked('lockTimeoutMs', options.lockTimeoutMs),
  idleInTransactionTimeoutMs: checked('idleInTransactionTimeoutMs', options.idleInTransactionTimeoutMs),
  queryTimeoutMs: checked('queryTimeoutMs', options.queryTimeoutMs),
});

/** The server settings among the timeouts, by PostgreSQL's name, leaving out those turned off. */
export const serverSettings = (timeouts: PostgresTimeouts): [name: string, ms: number][] => ([
  ['statement_timeout', timeouts.statementTimeoutMs],
  ['lock_timeout', timeouts.lockTimeoutMs],
  ['idle_in_transaction_session_timeout', timeouts.idleInTransactionTimeoutMs],
] as [string, number][]).filter(([, ms]) => ms > 0);
