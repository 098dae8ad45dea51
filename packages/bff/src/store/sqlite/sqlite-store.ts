import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { decideRefund, refundRow } from '../../payments/refunds.js';
import { decideTransition } from '../../payments/settlement.js';
import { MIGRATIONS } from '../migrations.js';
import { NEW_PAYMENT_COLUMNS, newPaymentValues, notificationDigest, patchColumns, toEvent, toMember, toMemberAcct, toMerchantOrder, toNotification, toPayment, type Row } from '../rows.js';
import type {
  EventClaim,
  MemberAcctRecord,
  MemberRecord,
  MerchantOrderRecord,
  NewPayment,
  NewRefund,
  PaymentEventRecord,
  PaymentPatch,
  PaymentRecord,
  PlatformNotificationRecord,
  RateLimitHit,
  RefundInsert,
  Store,
  Transition,
  TransitionResult,
} from '../types.js';

function patchAssignments(patch: Parameters<typeof patchColumns>[0]): { sql: string; values: unknown[] } {
  const { columns, values } = patchColumns(patch);
  return { sql: columns.map((column) => `, ${column} = ?`).join(''), values };
}

export interface SqliteStoreOptions {
  /** The database file; its directory is created. `:memory:` for a throwaway store. */
  readonly file: string;
  readonly clock?: () => Date;
}

/**
 * The embedded store: one SQLite file in WAL mode (readers never block the writer). better-sqlite3 is synchronous, which
 * makes every `transition` a real serialised transaction within a process; several processes on one file are serialised
 * by SQLite's write lock (`busy_timeout` waits for it).
 */
export class SqliteStore implements Store {
  readonly db: Database.Database;
  private readonly clock: () => Date;

  constructor(options: SqliteStoreOptions) {
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.clock = options.clock ?? (() => new Date());
    this.migrate();
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let i = version; i < MIGRATIONS.length; i++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[i]!.sqlite);
        this.db.pragma(`user_version = ${i + 1}`);
      })();
    }
  }

  private now(): string {
    return this.clock().toISOString();
  }

  async upsertMerchantOrder(order: Omit<MerchantOrderRecord, 'paidBizOrderNo' | 'createdAt' | 'updatedAt'>): Promise<MerchantOrderRecord> {
    const now = this.now();
    // The merchant may change an unpaid order (a cart edited in another tab); a paid one is history and stays as it was.
    this.db
      .prepare(
        `INSERT INTO merchant_orders (merchant_order_id, amount, currency, subject, payer_biz_user_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (merchant_order_id) DO UPDATE SET amount = excluded.amount, subject = excluded.subject,
           payer_biz_user_id = excluded.payer_biz_user_id, updated_at = excluded.updated_at
         WHERE paid_biz_order_no IS NULL`,
      )
      .run(order.merchantOrderId, order.amount, order.currency, order.subject, order.payerBizUserId, now, now);
    return (await this.getMerchantOrder(order.merchantOrderId))!;
  }

  async getMerchantOrder(merchantOrderId: string): Promise<MerchantOrderRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM merchant_orders WHERE merchant_order_id = ?').get(merchantOrderId) as Row | undefined;
    return row && toMerchantOrder(row);
  }

  async insertPayment(payment: NewPayment): Promise<PaymentRecord> {
    this.insertPaymentRow(payment);
    return (await this.getPayment(payment.bizOrderNo))!;
  }

  private insertPaymentRow(payment: NewPayment): void {
    const values = newPaymentValues(payment, this.now());
    this.db.prepare(`INSERT INTO payments (${NEW_PAYMENT_COLUMNS}) VALUES (${values.map(() => '?').join(', ')})`).run(...values);
  }

  async insertPaymentWithinOpenLimit(payment: NewPayment, limit: { maxOpen: number; now: string }): Promise<{ payment: PaymentRecord } | { payment: undefined; openUntil: string }> {
    const run = this.db.transaction((): { openUntil: string } | undefined => {
      const open = this.db
        .prepare(`SELECT COUNT(*) AS open, MIN(expires_at) AS until FROM payments WHERE merchant_order_id = ? AND kind <> 'refund' AND state IN ('created', 'pending') AND expires_at > ?`)
        .get(payment.merchantOrderId, limit.now) as { open: number; until: string | null };
      if (open.open >= limit.maxOpen) return { openUntil: open.until! };
      this.insertPaymentRow(payment);
      return undefined;
    });
    // IMMEDIATE: the count and the insert are one step for every process on the file.
    const outcome = run.immediate();
    return outcome ? { payment: undefined, openUntil: outcome.openUntil } : { payment: (await this.getPayment(payment.bizOrderNo))! };
  }

  async hitRateLimit(hit: { key: string; limit: number; windowMs: number; blockMs?: number; now: Date }): Promise<RateLimitHit> {
    const now = hit.now.toISOString();
    const run = this.db.transaction((): RateLimitHit => {
      this.db.prepare('DELETE FROM rate_limits WHERE resets_at <= ?').run(now);
      const row = this.db.prepare('SELECT hits, resets_at FROM rate_limits WHERE key = ?').get(hit.key) as { hits: number; resets_at: string } | undefined;
      const hits = row?.hits ?? 0;
      let resetsAt = row?.resets_at ?? new Date(hit.now.getTime() + hit.windowMs).toISOString();
      const retryAfter = () => Math.max(0, Date.parse(resetsAt) - hit.now.getTime());
      if (hits >= hit.limit) return { allowed: false, count: hits, retryAfterMs: retryAfter() };
      if (hits + 1 >= hit.limit && hit.blockMs !== undefined) {
        const blockedUntil = new Date(hit.now.getTime() + hit.blockMs).toISOString();
        if (blockedUntil > resetsAt) resetsAt = blockedUntil;
      }
      this.db
        .prepare('INSERT INTO rate_limits (key, hits, resets_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET hits = excluded.hits, resets_at = excluded.resets_at')
        .run(hit.key, hits + 1, resetsAt);
      return { allowed: true, count: hits + 1, retryAfterMs: retryAfter() };
    });
    // IMMEDIATE takes the write lock before reading: two processes never both count the last hit.
    return run.immediate();
  }

  async returnRateLimitHit(key: string, now: Date): Promise<void> {
    this.db.prepare('UPDATE rate_limits SET hits = hits - 1 WHERE key = ? AND hits > 0 AND resets_at > ?').run(key, now.toISOString());
  }

  async getPayment(bizOrderNo: string): Promise<PaymentRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM payments WHERE biz_order_no = ?').get(bizOrderNo) as Row | undefined;
    return row && toPayment(row);
  }

  async findPaymentByIdempotencyKey(merchantOrderId: string, key: string): Promise<PaymentRecord | undefined> {
    const row = this.db.prepare("SELECT * FROM payments WHERE merchant_order_id = ? AND idempotency_key = ? AND kind <> 'refund'").get(merchantOrderId, key) as Row | undefined;
    return row && toPayment(row);
  }

  async findOpenPayment(merchantOrderId: string): Promise<PaymentRecord | undefined> {
    const row = this.db
      .prepare(`SELECT * FROM payments WHERE merchant_order_id = ? AND kind <> 'refund' AND state IN ('created', 'pending') ORDER BY created_at DESC, rowid DESC LIMIT 1`)
      .get(merchantOrderId) as Row | undefined;
    return row && toPayment(row);
  }

  async insertRefund(refund: NewRefund): Promise<RefundInsert> {
    const run = this.db.transaction((): RefundInsert => {
      const earlier = this.db.prepare(`SELECT * FROM payments WHERE ori_biz_order_no = ? AND kind = 'refund' AND idempotency_key = ?`).get(refund.oriBizOrderNo, refund.idempotencyKey) as Row | undefined;
      if (earlier) return { outcome: 'existing', refund: toPayment(earlier) };
      const row = this.db.prepare('SELECT * FROM payments WHERE biz_order_no = ?').get(refund.oriBizOrderNo) as Row | undefined;
      if (!row) return { outcome: 'refused', refusal: { reason: 'not_found' } };
      const payment = toPayment(row);
      const decision = decideRefund(payment, this.refundsOf(refund.oriBizOrderNo), refund.asked);
      if (decision.refused) return { outcome: 'refused', refusal: decision.refusal };
      this.insertPaymentRow(refundRow(payment, refund, decision, this.clock()));
      return { outcome: 'created', refund: toPayment(this.db.prepare('SELECT * FROM payments WHERE biz_order_no = ?').get(refund.bizOrderNo) as Row) };
    });
    // IMMEDIATE: the sum of the refunds and the insert are one step for every process on the file.
    return run.immediate();
  }

  private refundsOf(oriBizOrderNo: string): PaymentRecord[] {
    const rows = this.db.prepare(`SELECT * FROM payments WHERE ori_biz_order_no = ? AND kind = 'refund' ORDER BY created_at, rowid`).all(oriBizOrderNo) as Row[];
    return rows.map(toPayment);
  }

  async listRefunds(oriBizOrderNo: string): Promise<PaymentRecord[]> {
    return this.refundsOf(oriBizOrderNo);
  }

  async listFlaggedPayments(): Promise<PaymentRecord[]> {
    const rows = this.db.prepare(`SELECT * FROM payments WHERE state = 'success' AND kind <> 'refund' AND settlement <> 'paid' AND refunded_amount < COALESCE(reported_amount, amount) ORDER BY created_at, rowid`).all() as Row[];
    return rows.map(toPayment);
  }

  async patchPayment(bizOrderNo: string, patch: PaymentPatch): Promise<void> {
    const { sql, values } = patchAssignments(patch);
    this.db.prepare(`UPDATE payments SET updated_at = ?${sql} WHERE biz_order_no = ?`).run(this.now(), ...values, bizOrderNo);
  }

  async swapSmsResendAt(bizOrderNo: string, expected: string | null, next: string | null): Promise<boolean> {
    const { changes } = this.db
      .prepare('UPDATE payments SET sms_resend_at = ?, updated_at = ? WHERE biz_order_no = ? AND sms_resend_at IS ?')
      .run(next, this.now(), bizOrderNo, expected);
    return changes === 1;
  }

  async takeSmsAttempt(bizOrderNo: string, limit: number): Promise<number | undefined> {
    // One statement: SQLite's write lock makes the check and the increment one step, across processes too.
    const row = this.db
      .prepare('UPDATE payments SET sms_attempts = sms_attempts + 1, updated_at = ? WHERE biz_order_no = ? AND sms_attempts < ? RETURNING sms_attempts')
      .get(this.now(), bizOrderNo, limit) as { sms_attempts: number } | undefined;
    return row?.sms_attempts;
  }

  async returnSmsAttempt(bizOrderNo: string): Promise<void> {
    this.db.prepare('UPDATE payments SET sms_attempts = sms_attempts - 1, updated_at = ? WHERE biz_order_no = ? AND sms_attempts > 0').run(this.now(), bizOrderNo);
  }

  async transition(bizOrderNo: string, transition: Transition): Promise<TransitionResult> {
    const run = this.db.transaction((): TransitionResult => {
      const row = this.db.prepare('SELECT * FROM payments WHERE biz_order_no = ?').get(bizOrderNo) as Row | undefined;
      if (!row) throw new Error(`unknown payment ${bizOrderNo}`);
      const before = toPayment(row);
      const order = toMerchantOrder(this.db.prepare('SELECT * FROM merchant_orders WHERE merchant_order_id = ?').get(before.merchantOrderId) as Row);
      const decision = decideTransition(before, order, transition.fact, transition.message);
      const now = this.now();
      if (decision === undefined) {
        // A fact that changes nothing may still bring what was learnt with it (an apply answer after a status check).
        const { sql, values } = patchAssignments(transition.patch);
        if (values.length === 0) return { payment: before, changed: false, events: [] };
        this.db.prepare(`UPDATE payments SET updated_at = ?${sql} WHERE biz_order_no = ?`).run(now, ...values, bizOrderNo);
        return { payment: toPayment(this.db.prepare('SELECT * FROM payments WHERE biz_order_no = ?').get(bizOrderNo) as Row), changed: false, events: [] };
      }

      const { sql, values } = patchAssignments({
        ...transition.patch,
        ...(decision.failure ? { failureCode: decision.failure.code, failureMessage: decision.failure.message } : {}),
        ...(decision.settlement ? { settlement: decision.settlement } : {}),
        ...(decision.reportedAmount === undefined ? {} : { reportedAmount: decision.reportedAmount }),
      });
      this.db.prepare(`UPDATE payments SET state = ?, updated_at = ?${sql} WHERE biz_order_no = ?`).run(decision.state, now, ...values, bizOrderNo);
      if (decision.paysOrder) {
        this.db.prepare('UPDATE merchant_orders SET paid_biz_order_no = ?, updated_at = ? WHERE merchant_order_id = ? AND paid_biz_order_no IS NULL').run(bizOrderNo, now, before.merchantOrderId);
      }
      if (decision.refunds) {
        this.db.prepare('UPDATE payments SET refunded_amount = refunded_amount + ?, updated_at = ? WHERE biz_order_no = ?').run(decision.refunds.amount, now, decision.refunds.oriBizOrderNo);
      }
      const insertEvent = this.db.prepare(
        `INSERT INTO payment_events (type, biz_order_no, merchant_order_id, state, previous_state, source, message, settlement, evidence, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const events = decision.events.map((event) => {
        const id = insertEvent.run(event.type, bizOrderNo, before.merchantOrderId, decision.state, before.state, transition.fact.source, event.message, event.settlement, transition.evidence ?? null, now).lastInsertRowid;
        return toEvent(this.db.prepare('SELECT * FROM payment_events WHERE id = ?').get(id) as Row);
      });
      const payment = toPayment(this.db.prepare('SELECT * FROM payments WHERE biz_order_no = ?').get(bizOrderNo) as Row);
      return { payment, changed: true, events };
    });
    // IMMEDIATE takes the write lock before reading, so two processes cannot both decide from the same old state.
    return run.immediate();
  }

  async listPaymentsToReconcile(options: { createdBefore: string; checkedBefore: string; expiredAfter: string; limit: number }): Promise<PaymentRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM payments p
         WHERE (((state IN ('created', 'pending') OR (state = 'expired' AND created_at > ?)) AND created_at <= ?)
                -- a hint the platform will not repeat is followed up however young the payment
                OR (state <> 'success' AND EXISTS (SELECT 1 FROM platform_notifications n WHERE n.biz_order_no = p.biz_order_no AND n.resolved_at IS NULL)))
           AND (checked_at IS NULL OR checked_at <= ?)
         ORDER BY checked_at IS NOT NULL, checked_at, created_at LIMIT ?`,
      )
      .all(options.expiredAfter, options.createdBefore, options.checkedBefore, options.limit) as Row[];
    return rows.map(toPayment);
  }

  async claimReconciliation(bizOrderNo: string, claim: { owner: string; now: string; until: string }): Promise<boolean> {
    const { changes } = this.db
      .prepare('UPDATE payments SET reconcile_owner = ?, reconcile_until = ? WHERE biz_order_no = ? AND (reconcile_until IS NULL OR reconcile_until <= ? OR reconcile_owner = ?)')
      .run(claim.owner, claim.until, bizOrderNo, claim.now, claim.owner);
    return changes === 1;
  }

  async releaseReconciliation(bizOrderNo: string, owner: string): Promise<void> {
    this.db.prepare('UPDATE payments SET reconcile_owner = NULL, reconcile_until = NULL WHERE biz_order_no = ? AND reconcile_owner = ?').run(bizOrderNo, owner);
  }

  async recordNotification(n: { bizOrderNo: string; source: 'notification' | 'return'; body: string; status: string; signedAt: string | null; resolved: boolean }): Promise<PlatformNotificationRecord> {
    const now = this.now();
    const hash = notificationDigest(n.body);
    this.db
      .prepare(
        `INSERT INTO platform_notifications (biz_order_no, source, body, body_sha256, status, signed_at, received_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (biz_order_no, body_sha256) DO NOTHING`,
      )
      .run(n.bizOrderNo, n.source, n.body, hash, n.status, n.signedAt, now, n.resolved ? now : null);
    return toNotification(this.db.prepare('SELECT * FROM platform_notifications WHERE biz_order_no = ? AND body_sha256 = ?').get(n.bizOrderNo, hash) as Row);
  }

  async resolveNotifications(bizOrderNo: string, at: string): Promise<void> {
    this.db.prepare('UPDATE platform_notifications SET resolved_at = ? WHERE biz_order_no = ? AND resolved_at IS NULL').run(at, bizOrderNo);
  }

  async listNotifications(bizOrderNo: string): Promise<PlatformNotificationRecord[]> {
    return (this.db.prepare('SELECT * FROM platform_notifications WHERE biz_order_no = ? ORDER BY id').all(bizOrderNo) as Row[]).map(toNotification);
  }

  async getMember(bizUserId: string): Promise<MemberRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM members WHERE biz_user_id = ?').get(bizUserId) as Row | undefined;
    return row && toMember(row);
  }

  async upsertMember(member: { bizUserId: string; userId?: string | null; phone?: string | null }): Promise<MemberRecord> {
    this.db
      .prepare(
        `INSERT INTO members (biz_user_id, user_id, phone, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (biz_user_id) DO UPDATE SET user_id = COALESCE(excluded.user_id, members.user_id), phone = COALESCE(excluded.phone, members.phone)`,
      )
      .run(member.bizUserId, member.userId ?? null, member.phone ?? null, this.now());
    return (await this.getMember(member.bizUserId))!;
  }

  async listMemberAccts(bizUserId: string): Promise<MemberAcctRecord[]> {
    const rows = this.db.prepare('SELECT * FROM member_accts WHERE biz_user_id = ?').all(bizUserId) as Row[];
    return rows.map(toMemberAcct);
  }

  async addMemberAcct(acct: MemberAcctRecord): Promise<void> {
    this.db.prepare('INSERT OR IGNORE INTO member_accts (biz_user_id, acct_type, acct) VALUES (?, ?, ?)').run(acct.bizUserId, acct.acctType, acct.acct);
  }

  async installSecret(): Promise<string> {
    return (this.db.prepare('SELECT secret FROM install_secret WHERE id = 1').get() as { secret: string }).secret;
  }

  async reservePaymentCode(code: { digest: string; bizOrderNo: string; usedAt: string; expiresAt: string }): Promise<{ reserved: true } | { reserved: false; bizOrderNo: string }> {
    const run = this.db.transaction(() => {
      this.db.prepare('DELETE FROM payment_codes WHERE expires_at <= ?').run(code.usedAt);
      // One statement decides: two requests with the same code cannot both insert the primary key.
      const inserted = this.db
        .prepare('INSERT INTO payment_codes (code_digest, biz_order_no, used_at, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (code_digest) DO NOTHING')
        .run(code.digest, code.bizOrderNo, code.usedAt, code.expiresAt);
      if (inserted.changes === 1) return { reserved: true as const };
      const row = this.db.prepare('SELECT biz_order_no FROM payment_codes WHERE code_digest = ?').get(code.digest) as { biz_order_no: string };
      return { reserved: false as const, bizOrderNo: row.biz_order_no };
    });
    return run.immediate();
  }

  async releasePaymentCode(digest: string, bizOrderNo: string): Promise<void> {
    this.db.prepare('DELETE FROM payment_codes WHERE code_digest = ? AND biz_order_no = ?').run(digest, bizOrderNo);
  }

  async listPaymentEvents(bizOrderNo: string, afterId: number): Promise<PaymentEventRecord[]> {
    const rows = this.db.prepare('SELECT * FROM payment_events WHERE biz_order_no = ? AND id > ? ORDER BY id').all(bizOrderNo, afterId) as Row[];
    return rows.map(toEvent);
  }

  async claimEventsToDeliver(claim: EventClaim): Promise<PaymentEventRecord[]> {
    const until = new Date(Date.parse(claim.now) + claim.leaseMs).toISOString();
    const run = this.db.transaction((): PaymentEventRecord[] => {
      const rows = this.db
        .prepare(
          `SELECT e.id FROM payment_events e
           WHERE e.delivered_at IS NULL
             AND e.id = (SELECT MIN(id) FROM payment_events f WHERE f.biz_order_no = e.biz_order_no AND f.delivered_at IS NULL)
             AND (e.next_delivery_at IS NULL OR e.next_delivery_at <= ?)
             AND (e.lease_until IS NULL OR e.lease_until <= ?)
           ORDER BY e.id LIMIT ?`,
        )
        .all(claim.now, claim.now, claim.limit) as { id: number }[];
      const lease = this.db.prepare('UPDATE payment_events SET lease_owner = ?, lease_until = ? WHERE id = ? RETURNING *');
      return rows.map(({ id }) => toEvent(lease.get(claim.owner, until, id) as Row));
    });
    // IMMEDIATE: the choice and the lease are one step for every process on the file.
    return run.immediate();
  }

  async renewEventClaims(ids: readonly number[], owner: string, until: string): Promise<void> {
    const renew = this.db.prepare('UPDATE payment_events SET lease_until = ? WHERE id = ? AND lease_owner = ? AND delivered_at IS NULL');
    this.db.transaction(() => {
      for (const id of ids) renew.run(until, id, owner);
    })();
  }

  async markEventDelivered(id: number, at: string): Promise<void> {
    this.db
      .prepare('UPDATE payment_events SET delivered_at = ?, delivery_attempts = delivery_attempts + 1, last_delivery_error = NULL, lease_owner = NULL, lease_until = NULL WHERE id = ?')
      .run(at, id);
  }

  async markEventDeliveryFailed(id: number, owner: string, error: string, nextAttemptAt: string): Promise<void> {
    this.db
      .prepare(
        `UPDATE payment_events SET delivery_attempts = delivery_attempts + 1, last_delivery_error = ?, next_delivery_at = ?, lease_owner = NULL, lease_until = NULL
         WHERE id = ? AND delivered_at IS NULL AND (lease_owner = ? OR lease_owner IS NULL)`,
      )
      .run(error.slice(0, 500), nextAttemptAt, id, owner);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
