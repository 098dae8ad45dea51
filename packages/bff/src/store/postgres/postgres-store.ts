import pg from 'pg';
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
  PaymentChangeListener,
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

/** The channel of `pg_notify`: its payload is the bizOrderNo whose event rows were committed and the newest row's id. */
export const PAYMENT_CHANGES_CHANNEL = 'tsy_payment_changes';


/** One key for every process migrating the same database: whoever holds it migrates, the others wait and find it done. */
const MIGRATION_LOCK = "hashtext('tsy-checkout schema migrations')";

/**
 * int8 (ids, amounts) parsed as numbers: ids and fen amounts stay far below 2^53, and the row mappers are shared with
 * SQLite, which gives numbers.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  readonly url: string;
  /** Connections in the pool (default 10). */
  readonly poolSize?: number;
  readonly clock?: () => Date;
  /** Connection trouble the store recovers from by itself (a dropped idle connection, the watch reconnecting). */
  readonly log?: (level: 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

type Queryable = pg.Pool | pg.PoolClient;

/**
 * The store several instances share. Every method is one statement or one transaction; where SQLite's single writer made a
 * read-then-write safe, this one locks the rows it decides from (`SELECT … FOR UPDATE`) or lets a unique constraint decide
 * (`INSERT … ON CONFLICT`). Event rows are announced with `pg_notify` in the transaction that writes them, so listeners
 * (watchPaymentChanges) hear of them exactly when they are committed.
 */
const POOL_TIMEOUTS = { connectMs: 5_000, statementMs: 15_000, idleInTransactionMs: 30_000 } as const;
/**
 * The LISTEN connection carries no traffic of its own: a NAT or load balancer that drops it silently would leave the
 * instance deaf to the others. A ping this often makes a dead connection fail, and so reconnect.
 */
const LISTEN_PING_MS = 30_000;

export class PostgresStore implements Store {
  private readonly pool: pg.Pool;
  private readonly clock: () => Date;
  private readonly log: NonNullable<PostgresStoreOptions['log']>;
  /** Migrations, run once at open; every method waits for them. */
  readonly ready: Promise<void>;
  private readonly watches = new Set<() => Promise<void>>();

  constructor(private readonly options: PostgresStoreOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      types,
      // A database that cannot be reached, or a pool all in use, fails a request in seconds instead of queueing it in
      // memory without end; a statement or a transaction left hanging is ended by the server.
      connectionTimeoutMillis: POOL_TIMEOUTS.connectMs,
      statement_timeout: POOL_TIMEOUTS.statementMs,
      idle_in_transaction_session_timeout: POOL_TIMEOUTS.idleInTransactionMs,
      keepAlive: true,
    });
    this.clock = options.clock ?? (() => new Date());
    this.log = options.log ?? (() => undefined);
    // An idle connection that drops (a database restart) must not end the process: the pool replaces it.
    this.pool.on('error', (error) => this.log('warn', 'PostgreSQL connection lost; the pool reconnects', { error: error.message }));
    this.ready = this.migrate();
    // Whoever uses the store sees a failed migration; until then it must not count as unhandled.
    this.ready.catch(() => undefined);
  }

  /** Opens the store and waits for its migrations. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    try {
      await store.ready;
    } catch (error) {
      await store.pool.end().catch(() => undefined);
      throw error;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Held until COMMIT: two instances starting together migrate one after the other.
      await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      await client.query('CREATE TABLE IF NOT EXISTS tsy_schema_version (version integer NOT NULL)');
      const { rows } = await client.query<{ version: number }>('SELECT version FROM tsy_schema_version');
      let version = rows[0]?.version ?? 0;
      if (rows.length === 0) await client.query('INSERT INTO tsy_schema_version (version) VALUES (0)');
      for (; version < MIGRATIONS.length; version++) await client.query(MIGRATIONS[version]!.postgres);
      await client.query('UPDATE tsy_schema_version SET version = $1', [version]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private now(): string {
    return this.clock().toISOString();
  }

  private async query(sql: string, values: unknown[] = [], on: Queryable = this.pool): Promise<Row[]> {
    if (on === this.pool) await this.ready;
    return (await on.query(sql, values)).rows as Row[];
  }

  private async one(sql: string, values: unknown[] = [], on: Queryable = this.pool): Promise<Row | undefined> {
    return (await this.query(sql, values, on))[0];
  }

  /** Runs `work` in one transaction (READ COMMITTED; the rows decided from are locked by the work itself). */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.ready;
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
      throw error;
    } finally {
      // A connection that could not even roll back is not given to the next caller.
      client.release(broken);
    }
  }

  async upsertMerchantOrder(order: Omit<MerchantOrderRecord, 'paidBizOrderNo' | 'createdAt' | 'updatedAt'>): Promise<MerchantOrderRecord> {
    const now = this.now();
    // The merchant may change an unpaid order (a cart edited in another tab); a paid one is history and stays as it was.
    await this.query(
      `INSERT INTO merchant_orders (merchant_order_id, amount, currency, subject, payer_biz_user_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (merchant_order_id) DO UPDATE SET amount = excluded.amount, subject = excluded.subject,
         payer_biz_user_id = excluded.payer_biz_user_id, updated_at = excluded.updated_at
       WHERE merchant_orders.paid_biz_order_no IS NULL`,
      [order.merchantOrderId, order.amount, order.currency, order.subject, order.payerBizUserId, now],
    );
    return (await this.getMerchantOrder(order.merchantOrderId))!;
  }

  async getMerchantOrder(merchantOrderId: string): Promise<MerchantOrderRecord | undefined> {
    const row = await this.one('SELECT * FROM merchant_orders WHERE merchant_order_id = $1', [merchantOrderId]);
    return row && toMerchantOrder(row);
  }

  async insertPayment(payment: NewPayment): Promise<PaymentRecord> {
    return toPayment((await this.insertPaymentRow(payment, this.pool))!);
  }

  private async insertPaymentRow(payment: NewPayment, on: Queryable): Promise<Row | undefined> {
    const values = newPaymentValues(payment, this.now());
    return this.one(`INSERT INTO payments (${NEW_PAYMENT_COLUMNS}) VALUES (${values.map((_, n) => `$${n + 1}`).join(', ')}) RETURNING *`, values, on);
  }

  async insertPaymentWithinOpenLimit(payment: NewPayment, limit: { maxOpen: number; now: string }): Promise<{ payment: PaymentRecord } | { payment: undefined; openUntil: string }> {
    return this.transaction(async (client) => {
      // The merchant order's row is the lock of its payments: concurrent creates for one order count one after the other.
      await this.query('SELECT 1 FROM merchant_orders WHERE merchant_order_id = $1 FOR NO KEY UPDATE', [payment.merchantOrderId], client);
      const open = (await this.one(
        `SELECT COUNT(*)::integer AS open, MIN(expires_at) AS until FROM payments WHERE merchant_order_id = $1 AND kind <> 'refund' AND state IN ('created', 'pending') AND expires_at > $2`,
        [payment.merchantOrderId, limit.now],
        client,
      ))!;
      if ((open.open as number) >= limit.maxOpen) return { payment: undefined, openUntil: open.until as string };
      return { payment: toPayment((await this.insertPaymentRow(payment, client))!) };
    });
  }

  async hitRateLimit(hit: { key: string; limit: number; windowMs: number; blockMs?: number; now: Date }): Promise<RateLimitHit> {
    const now = hit.now.toISOString();
    const windowEnd = new Date(hit.now.getTime() + hit.windowMs).toISOString();
    const blockedUntil = hit.blockMs === undefined ? null : new Date(hit.now.getTime() + hit.blockMs).toISOString();
    // A window starting with this hit: held to blockedUntil when this first hit already reaches the limit.
    const fresh = blockedUntil !== null && 1 >= hit.limit && blockedUntil > windowEnd ? blockedUntil : windowEnd;
    // One statement, so a key every request hits (a client IP) is locked for one round trip only: the upsert's row lock
    // orders concurrent hits; its WHERE refuses a hit in a full window (then nothing is written and `up` is empty); a
    // window that ended starts afresh; the hit that reaches the limit holds the window to blockedUntil. Other keys' ended
    // windows go on the way, without waiting for rows another hit holds.
    const rows = await this.query(
      `WITH gone AS (
         DELETE FROM rate_limits WHERE key IN (SELECT key FROM rate_limits WHERE resets_at <= $3 AND key <> $1 LIMIT 100 FOR UPDATE SKIP LOCKED)
       ), up AS (
         INSERT INTO rate_limits AS r (key, hits, resets_at) VALUES ($1, 1, $2)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN r.resets_at <= $3 THEN 1 ELSE r.hits + 1 END,
           resets_at = CASE
             WHEN r.resets_at <= $3 THEN $2
             WHEN r.hits + 1 >= $4 AND $5::text IS NOT NULL AND $5::text > r.resets_at THEN $5::text
             ELSE r.resets_at END
         WHERE r.resets_at <= $3 OR r.hits < $4
         RETURNING hits, resets_at
       )
       SELECT true AS allowed, hits, resets_at FROM up
       UNION ALL
       SELECT false, hits, resets_at FROM rate_limits WHERE key = $1 AND NOT EXISTS (SELECT 1 FROM up)`,
      [hit.key, fresh, now, hit.limit, blockedUntil],
    );
    // Refused, and the full window was committed after this statement's snapshot: read it now.
    const row = rows[0] ?? { allowed: false, ...(await this.one('SELECT hits, resets_at FROM rate_limits WHERE key = $1', [hit.key])) };
    // A refused key whose row was removed meanwhile (its window ended): it may be tried again now.
    const resetsAt = Date.parse(row.resets_at as string);
    const retryAfterMs = Number.isFinite(resetsAt) ? Math.max(0, resetsAt - hit.now.getTime()) : 0;
    return { allowed: row.allowed as boolean, count: row.hits as number, retryAfterMs };
  }

  async returnRateLimitHit(key: string, now: Date): Promise<void> {
    await this.query('UPDATE rate_limits SET hits = hits - 1 WHERE key = $1 AND hits > 0 AND resets_at > $2', [key, now.toISOString()]);
  }

  async getPayment(bizOrderNo: string): Promise<PaymentRecord | undefined> {
    const row = await this.one('SELECT * FROM payments WHERE biz_order_no = $1', [bizOrderNo]);
    return row && toPayment(row);
  }

  async findPaymentByIdempotencyKey(merchantOrderId: string, key: string): Promise<PaymentRecord | undefined> {
    const row = await this.one("SELECT * FROM payments WHERE merchant_order_id = $1 AND idempotency_key = $2 AND kind <> 'refund'", [merchantOrderId, key]);
    return row && toPayment(row);
  }

  async findOpenPayment(merchantOrderId: string): Promise<PaymentRecord | undefined> {
    // No rowid here: of attempts created in the same millisecond, either is an open one to resume.
    const row = await this.one(
      `SELECT * FROM payments WHERE merchant_order_id = $1 AND kind <> 'refund' AND state IN ('created', 'pending') ORDER BY created_at DESC, biz_order_no DESC LIMIT 1`,
      [merchantOrderId],
    );
    return row && toPayment(row);
  }

  async insertRefund(refund: NewRefund): Promise<RefundInsert> {
    return this.transaction(async (client) => {
      // The refunded payment's row is the lock of its refunds: concurrent refunds, from any instance, sum one after the other.
      const row = await this.one('SELECT * FROM payments WHERE biz_order_no = $1 FOR NO KEY UPDATE', [refund.oriBizOrderNo], client);
      const earlier = await this.one(`SELECT * FROM payments WHERE ori_biz_order_no = $1 AND kind = 'refund' AND idempotency_key = $2`, [refund.oriBizOrderNo, refund.idempotencyKey], client);
      if (earlier) return { outcome: 'existing' as const, refund: toPayment(earlier) };
      if (!row) return { outcome: 'refused' as const, refusal: { reason: 'not_found' as const } };
      const payment = toPayment(row);
      const decision = decideRefund(payment, await this.refundsOf(refund.oriBizOrderNo, client), refund.asked);
      if (decision.refused) return { outcome: 'refused' as const, refusal: decision.refusal };
      return { outcome: 'created' as const, refund: toPayment((await this.insertPaymentRow(refundRow(payment, refund, decision, this.clock()), client))!) };
    });
  }

  private async refundsOf(oriBizOrderNo: string, on: Queryable): Promise<PaymentRecord[]> {
    const rows = await this.query(`SELECT * FROM payments WHERE ori_biz_order_no = $1 AND kind = 'refund' ORDER BY created_at, biz_order_no`, [oriBizOrderNo], on);
    return rows.map(toPayment);
  }

  async listRefunds(oriBizOrderNo: string): Promise<PaymentRecord[]> {
    return this.refundsOf(oriBizOrderNo, this.pool);
  }

  async listFlaggedPayments(): Promise<PaymentRecord[]> {
    const rows = await this.query(`SELECT * FROM payments WHERE state = 'success' AND kind <> 'refund' AND settlement <> 'paid' AND refunded_amount < COALESCE(reported_amount, amount) ORDER BY created_at, biz_order_no`, []);
    return rows.map(toPayment);
  }

  async patchPayment(bizOrderNo: string, patch: PaymentPatch): Promise<void> {
    const { sql, values } = patchAssignments(patch, 3);
    await this.query(`UPDATE payments SET updated_at = $2${sql} WHERE biz_order_no = $1`, [bizOrderNo, this.now(), ...values]);
  }

  async swapSmsResendAt(bizOrderNo: string, expected: string | null, next: string | null): Promise<boolean> {
    const rows = await this.query(
      'UPDATE payments SET sms_resend_at = $2, updated_at = $3 WHERE biz_order_no = $1 AND sms_resend_at IS NOT DISTINCT FROM $4::text RETURNING 1',
      [bizOrderNo, next, this.now(), expected],
    );
    return rows.length === 1;
  }

  async takeSmsAttempt(bizOrderNo: string, limit: number): Promise<number | undefined> {
    // One statement: the row lock of the UPDATE makes the check and the increment one step for concurrent confirms.
    const row = await this.one(
      'UPDATE payments SET sms_attempts = sms_attempts + 1, updated_at = $2 WHERE biz_order_no = $1 AND sms_attempts < $3 RETURNING sms_attempts',
      [bizOrderNo, this.now(), limit],
    );
    return row?.sms_attempts as number | undefined;
  }

  async returnSmsAttempt(bizOrderNo: string): Promise<void> {
    await this.query('UPDATE payments SET sms_attempts = sms_attempts - 1, updated_at = $2 WHERE biz_order_no = $1 AND sms_attempts > 0', [bizOrderNo, this.now()]);
  }

  async transition(bizOrderNo: string, transition: Transition): Promise<TransitionResult> {
    return this.transaction(async (client) => {
      // Locked in this order (payment, then its merchant order) by every transition: two facts about one payment, or two
      // successes of one order, decide one after the other from what the first committed. NO KEY UPDATE (no key changes):
      // rows that only reference the payment (a notification kept meanwhile) need not wait.
      const row = await this.one('SELECT * FROM payments WHERE biz_order_no = $1 FOR NO KEY UPDATE', [bizOrderNo], client);
      if (!row) throw new Error(`unknown payment ${bizOrderNo}`);
      const before = toPayment(row);
      // A refund decides nothing from its merchant order and must not lock it: it locks the refunded payment's row (its
      // refunded_amount) next, and a transition of that payment locks the payment, then the order — never the other way.
      const order = toMerchantOrder(
        (await this.one(`SELECT * FROM merchant_orders WHERE merchant_order_id = $1${before.kind === 'refund' ? '' : ' FOR NO KEY UPDATE'}`, [before.merchantOrderId], client))!,
      );
      const decision = decideTransition(before, order, transition.fact, transition.message);
      const now = this.now();
      if (decision === undefined) {
        // A fact that changes nothing may still bring what was learnt with it (an apply answer after a status check).
        const { sql, values } = patchAssignments(transition.patch, 3);
        if (values.length === 0) return { payment: before, changed: false, events: [] };
        const patched = await this.one(`UPDATE payments SET updated_at = $2${sql} WHERE biz_order_no = $1 RETURNING *`, [bizOrderNo, now, ...values], client);
        return { payment: toPayment(patched!), changed: false, events: [] };
      }

      const { sql, values } = patchAssignments(
        {
          ...transition.patch,
          ...(decision.failure ? { failureCode: decision.failure.code, failureMessage: decision.failure.message } : {}),
          ...(decision.settlement ? { settlement: decision.settlement } : {}),
          ...(decision.reportedAmount === undefined ? {} : { reportedAmount: decision.reportedAmount }),
        },
        4,
      );
      const updated = await this.one(`UPDATE payments SET state = $2, updated_at = $3${sql} WHERE biz_order_no = $1 RETURNING *`, [bizOrderNo, decision.state, now, ...values], client);
      if (decision.paysOrder) {
        await this.query('UPDATE merchant_orders SET paid_biz_order_no = $1, updated_at = $2 WHERE merchant_order_id = $3 AND paid_biz_order_no IS NULL', [bizOrderNo, now, before.merchantOrderId], client);
      }
      if (decision.refunds) {
        await this.query('UPDATE payments SET refunded_amount = refunded_amount + $1, updated_at = $2 WHERE biz_order_no = $3', [decision.refunds.amount, now, decision.refunds.oriBizOrderNo], client);
      }
      const events: PaymentEventRecord[] = [];
      for (const event of decision.events) {
        const inserted = await this.one(
          `INSERT INTO payment_events (type, biz_order_no, merchant_order_id, state, previous_state, source, message, settlement, evidence, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
          [event.type, bizOrderNo, before.merchantOrderId, decision.state, before.state, transition.fact.source, event.message, event.settlement, transition.evidence ?? null, now],
          client,
        );
        events.push(toEvent(inserted!));
      }
      // Delivered to listeners on COMMIT, never for a rolled-back change.
      if (events.length > 0) await this.query('SELECT pg_notify($1, $2)', [PAYMENT_CHANGES_CHANNEL, `${bizOrderNo} ${events.at(-1)!.id}`], client);
      return { payment: toPayment(updated!), changed: true, events };
    });
  }

  async listPaymentsToReconcile(options: { createdBefore: string; checkedBefore: string; expiredAfter: string; limit: number }): Promise<PaymentRecord[]> {
    const rows = await this.query(
      `SELECT * FROM payments p
       WHERE (((state IN ('created', 'pending') OR (state = 'expired' AND created_at > $1)) AND created_at <= $2)
              -- a hint the platform will not repeat is followed up however young the payment
              OR (state <> 'success' AND EXISTS (SELECT 1 FROM platform_notifications n WHERE n.biz_order_no = p.biz_order_no AND n.resolved_at IS NULL)))
         AND (checked_at IS NULL OR checked_at <= $3)
       ORDER BY checked_at IS NOT NULL, checked_at, created_at LIMIT $4`,
      [options.expiredAfter, options.createdBefore, options.checkedBefore, options.limit],
    );
    return rows.map(toPayment);
  }

  async claimReconciliation(bizOrderNo: string, claim: { owner: string; now: string; until: string }): Promise<boolean> {
    // The UPDATE's row lock decides between two claimers: the second re-reads the row the first committed.
    const rows = await this.query(
      'UPDATE payments SET reconcile_owner = $2, reconcile_until = $3 WHERE biz_order_no = $1 AND (reconcile_until IS NULL OR reconcile_until <= $4 OR reconcile_owner = $2) RETURNING 1',
      [bizOrderNo, claim.owner, claim.until, claim.now],
    );
    return rows.length === 1;
  }

  async releaseReconciliation(bizOrderNo: string, owner: string): Promise<void> {
    await this.query('UPDATE payments SET reconcile_owner = NULL, reconcile_until = NULL WHERE biz_order_no = $1 AND reconcile_owner = $2', [bizOrderNo, owner]);
  }

  async recordNotification(n: { bizOrderNo: string; source: 'notification' | 'return'; body: string; status: string; signedAt: string | null; resolved: boolean }): Promise<PlatformNotificationRecord> {
    const now = this.now();
    const hash = notificationDigest(n.body);
    await this.query(
      `INSERT INTO platform_notifications (biz_order_no, source, body, body_sha256, status, signed_at, received_at, resolved_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (biz_order_no, body_sha256) DO NOTHING`,
      [n.bizOrderNo, n.source, n.body, hash, n.status, n.signedAt, now, n.resolved ? now : null],
    );
    return toNotification((await this.one('SELECT * FROM platform_notifications WHERE biz_order_no = $1 AND body_sha256 = $2', [n.bizOrderNo, hash]))!);
  }

  async resolveNotifications(bizOrderNo: string, at: string): Promise<void> {
    await this.query('UPDATE platform_notifications SET resolved_at = $1 WHERE biz_order_no = $2 AND resolved_at IS NULL', [at, bizOrderNo]);
  }

  async listNotifications(bizOrderNo: string): Promise<PlatformNotificationRecord[]> {
    return (await this.query('SELECT * FROM platform_notifications WHERE biz_order_no = $1 ORDER BY id', [bizOrderNo])).map(toNotification);
  }

  async getMember(bizUserId: string): Promise<MemberRecord | undefined> {
    const row = await this.one('SELECT * FROM members WHERE biz_user_id = $1', [bizUserId]);
    return row && toMember(row);
  }

  async upsertMember(member: { bizUserId: string; userId?: string | null; phone?: string | null }): Promise<MemberRecord> {
    const row = await this.one(
      `INSERT INTO members (biz_user_id, user_id, phone, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (biz_user_id) DO UPDATE SET user_id = COALESCE(excluded.user_id, members.user_id), phone = COALESCE(excluded.phone, members.phone)
       RETURNING *`,
      [member.bizUserId, member.userId ?? null, member.phone ?? null, this.now()],
    );
    return toMember(row!);
  }

  async listMemberAccts(bizUserId: string): Promise<MemberAcctRecord[]> {
    return (await this.query('SELECT * FROM member_accts WHERE biz_user_id = $1', [bizUserId])).map(toMemberAcct);
  }

  async addMemberAcct(acct: MemberAcctRecord): Promise<void> {
    await this.query('INSERT INTO member_accts (biz_user_id, acct_type, acct) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [acct.bizUserId, acct.acctType, acct.acct]);
  }

  async installSecret(): Promise<string> {
    return (await this.one('SELECT secret FROM install_secret WHERE id = 1'))!.secret as string;
  }

  async reservePaymentCode(code: { digest: string; bizOrderNo: string; usedAt: string; expiresAt: string }): Promise<{ reserved: true } | { reserved: false; bizOrderNo: string }> {
    return this.transaction(async (client) => {
      // One statement decides: a new code is inserted, an expired record is taken over, a remembered one stays.
      const taken = await this.one(
        `INSERT INTO payment_codes (code_digest, biz_order_no, used_at, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code_digest) DO UPDATE SET biz_order_no = excluded.biz_order_no, used_at = excluded.used_at, expires_at = excluded.expires_at
         WHERE payment_codes.expires_at <= excluded.used_at
         RETURNING 1`,
        [code.digest, code.bizOrderNo, code.usedAt, code.expiresAt],
        client,
      );
      await this.query(
        'DELETE FROM payment_codes WHERE code_digest IN (SELECT code_digest FROM payment_codes WHERE expires_at <= $1 LIMIT 100 FOR UPDATE SKIP LOCKED)',
        [code.usedAt],
        client,
      );
      if (taken) return { reserved: true as const };
      const row = await this.one('SELECT biz_order_no FROM payment_codes WHERE code_digest = $1', [code.digest], client);
      return { reserved: false as const, bizOrderNo: row!.biz_order_no as string };
    });
  }

  async releasePaymentCode(digest: string, bizOrderNo: string): Promise<void> {
    await this.query('DELETE FROM payment_codes WHERE code_digest = $1 AND biz_order_no = $2', [digest, bizOrderNo]);
  }

  async listPaymentEvents(bizOrderNo: string, afterId: number): Promise<PaymentEventRecord[]> {
    return (await this.query('SELECT * FROM payment_events WHERE biz_order_no = $1 AND id > $2 ORDER BY id', [bizOrderNo, afterId])).map(toEvent);
  }

  async claimEventsToDeliver(claim: EventClaim): Promise<PaymentEventRecord[]> {
    const until = new Date(Date.parse(claim.now) + claim.leaseMs).toISOString();
    return this.transaction(async (client) => {
      // SKIP LOCKED: an event another instance is claiming right now is its; once that claim commits, its lease keeps the
      // event out of this query (a row locked when first seen is re-checked against the committed lease).
      const rows = await this.query(
        `SELECT e.id FROM payment_events e
         WHERE e.delivered_at IS NULL
           AND e.id = (SELECT MIN(id) FROM payment_events f WHERE f.biz_order_no = e.biz_order_no AND f.delivered_at IS NULL)
           AND (e.next_delivery_at IS NULL OR e.next_delivery_at <= $1)
           AND (e.lease_until IS NULL OR e.lease_until <= $1)
         ORDER BY e.id LIMIT $2
         FOR UPDATE SKIP LOCKED`,
        [claim.now, claim.limit],
        client,
      );
      if (rows.length === 0) return [];
      const leased = await this.query('UPDATE payment_events SET lease_owner = $1, lease_until = $2 WHERE id = ANY($3::bigint[]) RETURNING *', [claim.owner, until, rows.map((row) => row.id)], client);
      return leased.map(toEvent).sort((a, b) => a.id - b.id);
    });
  }

  async renewEventClaims(ids: readonly number[], owner: string, until: string): Promise<void> {
    if (ids.length === 0) return;
    await this.query('UPDATE payment_events SET lease_until = $1 WHERE id = ANY($2::bigint[]) AND lease_owner = $3 AND delivered_at IS NULL', [until, [...ids], owner]);
  }

  async markEventDelivered(id: number, at: string): Promise<void> {
    await this.query(
      'UPDATE payment_events SET delivered_at = $2, delivery_attempts = delivery_attempts + 1, last_delivery_error = NULL, lease_owner = NULL, lease_until = NULL WHERE id = $1',
      [id, at],
    );
  }

  async markEventDeliveryFailed(id: number, owner: string, error: string, nextAttemptAt: string): Promise<void> {
    await this.query(
      `UPDATE payment_events SET delivery_attempts = delivery_attempts + 1, last_delivery_error = $3, next_delivery_at = $4, lease_owner = NULL, lease_until = NULL
       WHERE id = $1 AND delivered_at IS NULL AND (lease_owner = $2 OR lease_owner IS NULL)`,
      [id, owner, error.slice(0, 500), nextAttemptAt],
    );
  }

  async watchPaymentChanges(listener: PaymentChangeListener): Promise<() => Promise<void>> {
    await this.ready;
    const watch = new PaymentChangeWatch(this.options.url, listener, this.log);
    await watch.start();
    const stop = async () => {
      this.watches.delete(stop);
      await watch.stop();
    };
    this.watches.add(stop);
    return stop;
  }

  async close(): Promise<void> {
    await Promise.all([...this.watches].map((stop) => stop()));
    await this.ready.catch(() => undefined);
    await this.pool.end();
  }
}

/** Drops every table of the store (the demo starts each run from an empty database, as it does with its SQLite file). */
/**
 * Makes `schema` afresh in the database of `url` (DROP SCHEMA … CASCADE, CREATE SCHEMA) and gives the URL whose
 * connections use it (`search_path`). For a throwaway record such as the demo's: only that schema is dropped, never a
 * table outside it, whatever else the database holds.
 */
export async function resetPostgresSchema(url: string, schema: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`not a plain schema name: ${JSON.stringify(schema)}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return scoped.toString();
}

function patchAssignments(patch: Parameters<typeof patchColumns>[0], firstPlaceholder: number): { sql: string; values: unknown[] } {
  const { columns, values } = patchColumns(patch);
  return { sql: columns.map((column, i) => `, ${column} = $${firstPlaceholder + i}`).join(''), values };
}

/** Waits between reconnects: from 100 ms, doubling, at most 5 s. */
const RECONNECT_MS = { first: 100, max: 5000 };

/**
 * LISTEN on a connection of its own (a pooled one would be handed to others). When it drops (a database restart), it
 * reconnects with backoff and says `resumed()`: notifications sent while it was away are lost, the listener catches up.
 */
class PaymentChangeWatch {
  private client: pg.Client | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private delay = RECONNECT_MS.first;

  constructor(
    private readonly url: string,
    private readonly listener: PaymentChangeListener,
    private readonly log: NonNullable<PostgresStoreOptions['log']>,
  ) {}

  /** The first connection: its failure is the caller's. */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    // Until it listens, a failure is connect()'s rejection; an 'error' event then must not end the process.
    const ignore = () => undefined;
    client.on('error', ignore);
    client.on('notification', (message) => {
      if (message.channel !== PAYMENT_CHANGES_CHANNEL || !message.payload) return;
      const [bizOrderNo, lastEventId] = message.payload.split(' ');
      if (bizOrderNo) this.listener.changed(bizOrderNo, Number(lastEventId) || undefined);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${PAYMENT_CHANGES_CHANNEL}`);
    } catch (error) {
      await client.end().catch(ignore);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(ignore);
      return;
    }
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      void client.end().catch(ignore);
      if (this.stopped) return;
      this.log('warn', 'PostgreSQL watch of payment changes lost; reconnecting', { error: error?.message ?? 'connection ended' });
      this.reconnectLater();
    };
    client.off('error', ignore);
    client.on('error', onLost);
    client.on('end', () => onLost());
    const ping = setInterval(() => {
      client.query('SELECT 1').catch((error: unknown) => onLost(error instanceof Error ? error : new Error(String(error))));
    }, LISTEN_PING_MS);
    ping.unref();
    client.once('end', () => clearInterval(ping));
    this.client = client;
    this.delay = RECONNECT_MS.first;
  }

  private reconnectLater(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.connect().then(
        () => {
          if (!this.stopped) this.listener.resumed();
        },
        (error: unknown) => {
          if (this.stopped) return;
          this.log('warn', 'PostgreSQL watch of payment changes: reconnect failed', { error: error instanceof Error ? error.message : String(error), retryInMs: this.delay });
          this.delay = Math.min(this.delay * 2, RECONNECT_MS.max);
          this.reconnectLater();
        },
      );
      // Not unref'd: a live watch holds the process like its connection does, until stop().
    }, this.delay);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
