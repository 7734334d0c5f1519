/**
 * What metering hands a billing system: one number per tenant, meter, tier and period.
 */

/**
 * - `seat_days`: held seats integrated over the period, in days (fractional): 10 seats for half a day is 5.
 * - `peak_seats`: the most seats held at any instant of the period.
 * - `true_up`: the high-water mark of seats held beyond the seats in force (0 when never over).
 * - `monthly_active_users`: distinct users that held a seat of the tier at any time in the month.
 */
export type Meter = 'seat_days' | 'peak_seats' | 'true_up' | 'monthly_active_users';

export interface UsageRecord {
  readonly tenantId: string;
  readonly meter: Meter;
  readonly tier: string;
  /** The metered window (ISO 8601): the billing period, or the month for `monthly_active_users`, clipped to the requested range. */
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly value: number;
  /** The tier's `billable` flag (default true); free tiers are metered but not billed. */
  readonly billable: boolean;
}
