/**
 * Usage records in the two shapes billing pipelines take: CSV (RFC 4180, with a header) and JSON
 * lines (one record per line).
 */
import type { UsageRecord } from './usage-record';

const COLUMNS = ['tenant_id', 'meter', 'tier', 'period_start', 'period_end', 'value', 'billable'] as const;

// RFC 4180 §2: a field with a comma, a quote or a line break is quoted, its quotes doubled. Tier
// keys and tenant ids are the host's, so they may hold any of these.
const field = (value: string | number | boolean): string => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/**
 * CSV with a header row and CRLF line ends.
 * @example usageToCsv(records) // 'tenant_id,meter,tier,period_start,period_end,value,billable\r\nacme,seat_days,pro,...'
 */
export const usageToCsv = (records: readonly UsageRecord[]): string =>
  [COLUMNS.join(','), ...records.map((r) => [r.tenantId, r.meter, r.tier, r.periodStart, r.periodEnd, r.value, r.billable].map(field).join(','))]
    .map((line) => `${line}\r\n`).join('');

/**
 * One JSON object per line, each line ending in `\n`.
 * @example usageToJsonLines(records) // '{"tenantId":"acme","meter":"seat_days",...}\n'
 */
export const usageToJsonLines = (records: readonly UsageRecord[]): string =>
  records.map((r) => `${JSON.stringify(r)}\n`).join('');
