/**
 * Schema migrations of both stores, one numbered list: entry i is the same change in SQLite (`PRAGMA user_version` records
 * how far) and in PostgreSQL (table `tsy_schema_version`). Append; never edit a migration that has shipped. The two schemas
 * must stay equal (test/store/schema.test.ts compares them): instants are UTC ISO 8601 text in both, so they compare as
 * strings the same way; amounts are integer fen.
 */
export interface Migration {
  readonly sqlite: string;
  readonly postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    sqlite: `
  CREATE TABLE merchant_orders (
    merchant_order_id TEXT PRIMARY KEY,
    amount            INTEGER NOT NULL CHECK (amount > 0),          -- fen
    currency          TEXT NOT NULL DEFAULT 'CNY',
    subject           TEXT NOT NULL,
    payer_biz_user_id TEXT NOT NULL,
    paid_biz_order_no TEXT,                                         -- the first payment that succeeded
    created_at        TEXT NOT NULL,                                -- UTC ISO 8601
    updated_at        TEXT NOT NULL
  );

  CREATE TABLE payments (
    biz_order_no      TEXT PRIMARY KEY,                             -- our YunST payment order number
    merchant_order_id TEXT NOT NULL REFERENCES merchant_orders(merchant_order_id),
    kind              TEXT NOT NULL CHECK (kind IN ('consume', 'agentCollect', 'refund')),
    ori_biz_order_no  TEXT REFERENCES payments(biz_order_no),       -- refunds: the payment refunded
    method            TEXT NOT NULL,
    pay_method_key    TEXT NOT NULL,
    amount            INTEGER NOT NULL CHECK (amount > 0),          -- fen
    fee               INTEGER NOT NULL DEFAULT 0 CHECK (fee >= 0),  -- fen
    payer_biz_user_id TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('created', 'pending', 'success', 'failed', 'expired', 'closed')),
    order_no          TEXT,                                         -- YunST's order number
    action_json       TEXT,
    expires_at        TEXT NOT NULL,                                -- UTC ISO 8601
    expires_at_cst    TEXT NOT NULL,                                -- orderExpireDatetime as sent (CST)
    environment       TEXT NOT NULL,
    sysid             TEXT NOT NULL,
    idempotency_key   TEXT,
    failure_code      TEXT,
    failure_message   TEXT,
    request_raw       TEXT,                                         -- the signed request as sent
    response_raw      TEXT,                                         -- the platform's raw answer
    double_payment    INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    checked_at        TEXT                                          -- last getOrderDetail
  );
  CREATE UNIQUE INDEX payments_idempotency ON payments (merchant_order_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
  CREATE INDEX payments_by_order ON payments (merchant_order_id, created_at);
  CREATE INDEX payments_open ON payments (state, created_at) WHERE state IN ('created', 'pending');

  CREATE TABLE members (
    biz_user_id TEXT PRIMARY KEY,
    user_id     TEXT,                                               -- YunST's userId
    phone       TEXT,                                               -- bound phone
    created_at  TEXT NOT NULL
  );
  CREATE TABLE member_accts (
    biz_user_id TEXT NOT NULL REFERENCES members(biz_user_id),
    acct_type   TEXT NOT NULL,                                      -- weChatPublic | weChatMiniProgram | aliPayService
    acct        TEXT NOT NULL,                                      -- openid / user_id
    PRIMARY KEY (biz_user_id, acct_type, acct)
  );

  -- The event table is the outbox: it feeds SSE and onPaymentEvent.
  CREATE TABLE payment_events (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    type               TEXT NOT NULL,
    biz_order_no       TEXT NOT NULL REFERENCES payments(biz_order_no),
    merchant_order_id  TEXT NOT NULL,
    state              TEXT NOT NULL,
    previous_state     TEXT,
    source             TEXT NOT NULL,
    message            TEXT,
    evidence           TEXT,                                        -- the verified signed body behind the change
    created_at         TEXT NOT NULL,
    delivered_at       TEXT,
    delivery_attempts  INTEGER NOT NULL DEFAULT 0,
    next_delivery_at   TEXT,
    last_delivery_error TEXT
  );
  CREATE INDEX payment_events_by_payment ON payment_events (biz_order_no, id);
  CREATE INDEX payment_events_undelivered ON payment_events (id) WHERE delivered_at IS NULL;
  `,
    postgres: `
  CREATE TABLE merchant_orders (
    merchant_order_id text PRIMARY KEY,
    amount            bigint NOT NULL CHECK (amount > 0),           -- fen
    currency          text NOT NULL DEFAULT 'CNY',
    subject           text NOT NULL,
    payer_biz_user_id text NOT NULL,
    paid_biz_order_no text,                                         -- the first payment that succeeded
    created_at        text NOT NULL,                                -- UTC ISO 8601, as in SQLite: compared as strings
    updated_at        text NOT NULL
  );

  CREATE TABLE payments (
    biz_order_no      text PRIMARY KEY,
    merchant_order_id text NOT NULL REFERENCES merchant_orders(merchant_order_id),
    kind              text NOT NULL CHECK (kind IN ('consume', 'agentCollect', 'refund')),
    ori_biz_order_no  text REFERENCES payments(biz_order_no),
    method            text NOT NULL,
    pay_method_key    text NOT NULL,
    amount            bigint NOT NULL CHECK (amount > 0),
    fee               bigint NOT NULL DEFAULT 0 CHECK (fee >= 0),
    payer_biz_user_id text NOT NULL,
    state             text NOT NULL CHECK (state IN ('created', 'pending', 'success', 'failed', 'expired', 'closed')),
    order_no          text,
    action_json       text,
    expires_at        text NOT NULL,
    expires_at_cst    text NOT NULL,
    environment       text NOT NULL,
    sysid             text NOT NULL,
    idempotency_key   text,
    failure_code      text,
    failure_message   text,
    request_raw       text,
    response_raw      text,
    double_payment    integer NOT NULL DEFAULT 0,
    created_at        text NOT NULL,
    updated_at        text NOT NULL,
    checked_at        text
  );
  CREATE UNIQUE INDEX payments_idempotency ON payments (merchant_order_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
  CREATE INDEX payments_by_order ON payments (merchant_order_id, created_at);
  CREATE INDEX payments_open ON payments (state, created_at) WHERE state IN ('created', 'pending');

  CREATE TABLE members (
    biz_user_id text PRIMARY KEY,
    user_id     text,
    phone       text,
    created_at  text NOT NULL
  );
  CREATE TABLE member_accts (
    biz_user_id text NOT NULL REFERENCES members(biz_user_id),
    acct_type   text NOT NULL,
    acct        text NOT NULL,
    PRIMARY KEY (biz_user_id, acct_type, acct)
  );

  CREATE TABLE payment_events (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type               text NOT NULL,
    biz_order_no       text NOT NULL REFERENCES payments(biz_order_no),
    merchant_order_id  text NOT NULL,
    state              text NOT NULL,
    previous_state     text,
    source             text NOT NULL,
    message            text,
    evidence           text,
    created_at         text NOT NULL,
    delivered_at       text,
    delivery_attempts  integer NOT NULL DEFAULT 0,
    next_delivery_at   text,
    last_delivery_error text
  );
  CREATE INDEX payment_events_by_payment ON payment_events (biz_order_no, id);
  CREATE INDEX payment_events_undelivered ON payment_events (id) WHERE delivered_at IS NULL;
  `,
  },
  {
    sqlite: `
  -- What a success did to its merchant order (payments/settlement.ts), replacing the double_payment flag.
  ALTER TABLE payments ADD COLUMN settlement TEXT CHECK (settlement IN ('paid', 'double_paid', 'amount_mismatch', 'amount_differs'));
  ALTER TABLE payments ADD COLUMN reported_amount INTEGER;          -- fen, as the platform reported it with the success
  UPDATE payments SET settlement = CASE WHEN double_payment = 1 THEN 'double_paid' ELSE 'paid' END WHERE state = 'success';
  ALTER TABLE payment_events ADD COLUMN settlement TEXT;

  -- Every verified notification and page return, as received; unresolved ones are followed up by reconciliation.
  CREATE TABLE platform_notifications (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    biz_order_no TEXT NOT NULL REFERENCES payments(biz_order_no),
    source       TEXT NOT NULL CHECK (source IN ('notification', 'return')),
    body         TEXT NOT NULL,
    body_sha256  TEXT NOT NULL,                                     -- a replay of the same message is kept once
    status       TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    resolved_at  TEXT
  );
  CREATE UNIQUE INDEX platform_notifications_once ON platform_notifications (biz_order_no, body_sha256);
  CREATE INDEX platform_notifications_unresolved ON platform_notifications (biz_order_no) WHERE resolved_at IS NULL;
  `,
    postgres: `
  ALTER TABLE payments ADD COLUMN settlement text CHECK (settlement IN ('paid', 'double_paid', 'amount_mismatch', 'amount_differs'));
  ALTER TABLE payments ADD COLUMN reported_amount bigint;
  UPDATE payments SET settlement = CASE WHEN double_payment = 1 THEN 'double_paid' ELSE 'paid' END WHERE state = 'success';
  ALTER TABLE payment_events ADD COLUMN settlement text;

  CREATE TABLE platform_notifications (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    biz_order_no text NOT NULL REFERENCES payments(biz_order_no),
    source       text NOT NULL CHECK (source IN ('notification', 'return')),
    body         text NOT NULL,
    body_sha256  text NOT NULL,
    status       text NOT NULL,
    received_at  text NOT NULL,
    resolved_at  text
  );
  CREATE UNIQUE INDEX platform_notifications_once ON platform_notifications (biz_order_no, body_sha256);
  CREATE INDEX platform_notifications_unresolved ON platform_notifications (biz_order_no) WHERE resolved_at IS NULL;
  `,
  },
  {
    sqlite: `
  -- The SMS confirm step (checkout/sms-codes.ts decides; the store keeps): when the payment's current code was sent and
  -- stops being valid, when the next one may be asked for, and how many codes were sent to the platform for it.
  ALTER TABLE payments ADD COLUMN sms_sent_at TEXT;
  ALTER TABLE payments ADD COLUMN sms_code_expires_at TEXT;
  ALTER TABLE payments ADD COLUMN sms_resend_at TEXT;
  ALTER TABLE payments ADD COLUMN sms_attempts INTEGER NOT NULL DEFAULT 0 CHECK (sms_attempts >= 0);
  `,
    postgres: `
  ALTER TABLE payments ADD COLUMN sms_sent_at text;
  ALTER TABLE payments ADD COLUMN sms_code_expires_at text;
  ALTER TABLE payments ADD COLUMN sms_resend_at text;
  ALTER TABLE payments ADD COLUMN sms_attempts integer NOT NULL DEFAULT 0 CHECK (sms_attempts >= 0);
  `,
  },
  {
    sqlite: `
  -- Payment codes (付款码) already used for a payment: each is refused a second time while remembered. Only an HMAC of the
  -- code is kept (under install_secret), never the code.
  CREATE TABLE payment_codes (
    code_digest  TEXT PRIMARY KEY,
    biz_order_no TEXT NOT NULL,                                     -- the payment it was used for
    used_at      TEXT NOT NULL,
    expires_at   TEXT NOT NULL                                      -- forgotten after this (UTC ISO 8601)
  );
  CREATE INDEX payment_codes_expiry ON payment_codes (expires_at);
  -- A random key of this installation (one database), for keyed digests of what must not be stored in clear.
  CREATE TABLE install_secret (id INTEGER PRIMARY KEY CHECK (id = 1), secret TEXT NOT NULL);
  INSERT INTO install_secret (id, secret) VALUES (1, lower(hex(randomblob(32))));
  `,
    postgres: `
  CREATE TABLE payment_codes (
    code_digest  text PRIMARY KEY,
    biz_order_no text NOT NULL,
    used_at      text NOT NULL,
    expires_at   text NOT NULL
  );
  CREATE INDEX payment_codes_expiry ON payment_codes (expires_at);
  CREATE TABLE install_secret (id integer PRIMARY KEY CHECK (id = 1), secret text NOT NULL);
  -- gen_random_uuid() is PostgreSQL's built-in strong random (no pgcrypto needed): two of them give 64 hex digits, of
  -- which 244 bits are random.
  INSERT INTO install_secret (id, secret) VALUES (1, replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
  `,
  },
  {
    sqlite: `
  -- The platform's signed send time of each kept notification or page return (UTC ISO 8601; NULL when it had none that
  -- parses, e.g. a signedValue return): a message far older than the platform's retries is not trusted by itself.
  ALTER TABLE platform_notifications ADD COLUMN signed_at TEXT;
  `,
    postgres: `
  ALTER TABLE platform_notifications ADD COLUMN signed_at text;
  `,
  },
  {
    sqlite: `
  -- Rate-limit counters (checkout/rate-limits.ts sets the numbers): hits in a fixed window per key, e.g.
  -- 'phone-code:phone:<phone>'. In the database, so limits hold across restarts and instances; a row whose window ended is
  -- removed by the next hit.
  CREATE TABLE rate_limits (
    key        TEXT PRIMARY KEY,
    hits       INTEGER NOT NULL CHECK (hits >= 0),
    resets_at  TEXT NOT NULL                                       -- the window's end (UTC ISO 8601)
  );
  CREATE INDEX rate_limits_expiry ON rate_limits (resets_at);
  `,
    postgres: `
  CREATE TABLE rate_limits (
    key        text PRIMARY KEY,
    hits       integer NOT NULL CHECK (hits >= 0),
    resets_at  text NOT NULL
  );
  CREATE INDEX rate_limits_expiry ON rate_limits (resets_at);
  `,
  },
  {
    sqlite: `
  -- Work several instances share is claimed, not done twice: the delivery of a payment's next event (its lease is on that
  -- event row) and a payment's reconciliation (on the payment row). A lease whose time passed is free again (its owner died).
  ALTER TABLE payment_events ADD COLUMN lease_owner TEXT;
  ALTER TABLE payment_events ADD COLUMN lease_until TEXT;           -- UTC ISO 8601
  ALTER TABLE payments ADD COLUMN reconcile_owner TEXT;
  ALTER TABLE payments ADD COLUMN reconcile_until TEXT;             -- UTC ISO 8601
  `,
    postgres: `
  ALTER TABLE payment_events ADD COLUMN lease_owner text;
  ALTER TABLE payment_events ADD COLUMN lease_until text;
  ALTER TABLE payments ADD COLUMN reconcile_owner text;
  ALTER TABLE payments ADD COLUMN reconcile_until text;
  `,
  },
  {
    sqlite: `
  -- Refunds (spec §4.2.16) are payment orders of their own, in this table (kind 'refund', ori_biz_order_no the payment they
  -- give back, fee the feeAmount given back). Their Idempotency-Key is the merchant's, per refunded payment, so it has its own
  -- unique index and the payments' one leaves refunds out. refunded_amount: on a paid payment, what its successful refunds
  -- gave back (fen), kept by the refund's success transition in the same transaction.
  ALTER TABLE payments ADD COLUMN refund_reason TEXT;
  ALTER TABLE payments ADD COLUMN refunded_amount INTEGER NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0);
  DROP INDEX payments_idempotency;
  CREATE UNIQUE INDEX payments_idempotency ON payments (merchant_order_id, idempotency_key) WHERE idempotency_key IS NOT NULL AND kind <> 'refund';
  CREATE UNIQUE INDEX payments_refund_idempotency ON payments (ori_biz_order_no, idempotency_key) WHERE kind = 'refund';
  CREATE INDEX payments_refunds ON payments (ori_biz_order_no) WHERE ori_biz_order_no IS NOT NULL;
  `,
    postgres: `
  ALTER TABLE payments ADD COLUMN refund_reason text;
  ALTER TABLE payments ADD COLUMN refunded_amount integer NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0);
  DROP INDEX payments_idempotency;
  CREATE UNIQUE INDEX payments_idempotency ON payments (merchant_order_id, idempotency_key) WHERE idempotency_key IS NOT NULL AND kind <> 'refund';
  CREATE UNIQUE INDEX payments_refund_idempotency ON payments (ori_biz_order_no, idempotency_key) WHERE kind = 'refund';
  CREATE INDEX payments_refunds ON payments (ori_biz_order_no) WHERE ori_biz_order_no IS NOT NULL;
  `,
  },
];
