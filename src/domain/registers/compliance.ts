/**
 * Register health at a glance, as pure rules: licence compliance (FITS: "log licence details and
 * quantities"), warranty ends and assets that keep failing.
 */
import { addDays, differenceInCalendarDays, parseISO } from 'date-fns';

/** Licences expiring within this many days are flagged. */
export const LICENCE_EXPIRY_WARNING_DAYS = 60;
/** Warranties ending within this many days are flagged. */
export const WARRANTY_WARNING_DAYS = 30;
/** A licence this full (in use ÷ quantity) is nearly full. */
export const NEARLY_FULL_RATIO = 0.9;
/** This many incidents on one asset within the window flags it (and later suggests a problem record). */
export const REPEAT_INCIDENTS = 3;
export const REPEAT_WINDOW_DAYS = 30;

export type LicenceFlag = 'over_deployed' | 'nearly_full' | 'expired' | 'expiring';

export interface LicenceCompliance {
  flags: LicenceFlag[];
  /** Seats left (negative when over-deployed); null for a site licence. */
  seatsLeft: number | null;
  /** Days until expiry (negative once expired); null with no expiry date. */
  daysToExpiry: number | null;
}

/** `today` is the school's calendar date, `YYYY-MM-DD`. */
export function licenceCompliance(
  l: { type: string; quantity: number | null; seatsInUse: number; expiryDate: string | null },
  today: string,
): LicenceCompliance {
  const flags: LicenceFlag[] = [];
  const seatsLeft = l.type === 'site' || l.quantity === null ? null : l.quantity - l.seatsInUse;
  if (seatsLeft !== null && l.quantity !== null) {
    if (seatsLeft < 0) flags.push('over_deployed');
    else if (l.quantity > 0 && l.seatsInUse / l.quantity >= NEARLY_FULL_RATIO) flags.push('nearly_full');
  }
  const daysToExpiry = l.expiryDate
    ? differenceInCalendarDays(parseISO(l.expiryDate), parseISO(today))
    : null;
  if (daysToExpiry !== null) {
    if (daysToExpiry < 0) flags.push('expired');
    else if (daysToExpiry <= LICENCE_EXPIRY_WARNING_DAYS) flags.push('expiring');
  }
  return { flags, seatsLeft, daysToExpiry };
}

export type WarrantyState = 'none' | 'ok' | 'ending' | 'ended';

export function warrantyState(warrantyEnd: string | null, today: string): WarrantyState {
  if (!warrantyEnd) return 'none';
  const days = differenceInCalendarDays(parseISO(warrantyEnd), parseISO(today));
  if (days < 0) return 'ended';
  return days <= WARRANTY_WARNING_DAYS ? 'ending' : 'ok';
}

export function repeatWindowStart(now: Date): Date {
  return addDays(now, -REPEAT_WINDOW_DAYS);
}

export const LICENCE_FLAG_LABELS: Record<LicenceFlag, string> = {
  over_deployed: 'Over-deployed',
  nearly_full: 'Nearly full',
  expired: 'Expired',
  expiring: 'Expiring soon',
};
