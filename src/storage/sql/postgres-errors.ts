/**
 * Which errors from PostgreSQL (and from the `pg` driver around it) mean "the database is not
 * there right now" rather than "this request is wrong". IdPs retry a 503, so these become
 * StorageUnavailableError; everything else stays a fault (500).
 *
 * SQLSTATE classes: https://www.postgresql.org/docs/current/errcodes-appendix.html
 */

const field = (error: unknown, name: 'code' | 'message'): string => {
  if (typeof error !== 'object' || error === null) return '';
  const value = (error as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
};

// Socket-level failures Node reports while connecting or talking to the server.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ENOENT']);

const UNAVAILABLE_STATES = new Set([
  '57P01', // admin_shutdown: the server is stopping, or pg_terminate_backend ended the session
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '55P03', // lock_not_available: lock_timeout expired while waiting for the tenant
  '57014', // query_canceled: statement_timeout, or a cancel from an operator
  '25006', // read_only_sql_transaction: connected to a standby after a failover
  '25P03', // idle_in_transaction_session_timeout
]);

// The pg driver's own messages when the connection ends, the pool cannot get one in time, or a
// query gets no answer within query_timeout (the network hangs).
const DRIVER_MESSAGES = /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|Query read timeout/i;

/**
 * The database is unreachable, shutting down, overloaded or timed out: the request may succeed later.
 * @example
 * isPostgresUnavailable(Object.assign(new Error('terminating connection'), { code: '57P01' })); // true
 */
export const isPostgresUnavailable = (error: unknown): boolean => {
  const code = field(error, 'code');
  if (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.has(code)) return true;
  // Class 08: connection exceptions; class 53: insufficient resources (too many connections, disk full).
  if (/^(08|53)[0-9A-Z]{3}$/.test(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isPostgresUnavailable);
  return DRIVER_MESSAGES.test(field(error, 'message'));
};

/**
 * The transaction lost to another (serialization_failure, deadlock_detected); it kept nothing.
 * @example
 * isPostgresTransient(Object.assign(new Error('deadlock detected'), { code: '40P01' })); // true
 */
export const isPostgresTransient = (error: unknown): boolean => {
  const code = field(error, 'code');
  return code === '40001' || code === '40P01';
};
