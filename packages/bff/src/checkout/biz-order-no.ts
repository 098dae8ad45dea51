import { randomBytes } from 'node:crypto';
import { formatCstTimestamp } from '@tsy/yunst';

/** Payment (and refund) order numbers: sortable by time, unique across instances, well under the platform's length limits. */
export function newBizOrderNo(now: Date): string {
  return `TSY${formatCstTimestamp(now).replace(/\D/g, '')}${randomBytes(5).toString('hex').toUpperCase()}`;
}
