import { createHash } from 'node:crypto';
import type { PaymentEventType, Settlement } from '../payments/settlement.js';
import type { PaymentState } from '../payments/state-machine.js';
import type { MemberAcctRecord, MemberRecord, MerchantOrderRecord, NewPayment, PaymentEventRecord, PaymentRecord, PlatformNotificationRecord } from './types.js';

/**
 * Rows of either store (SQLite, PostgreSQL) as records: both schemas have the same columns (store/migrations.ts), and both
 * drivers give integers as numbers (the PostgreSQL store parses int8 so).
 */
export type Row = Record<string, unknown>;

export function toMerchantOrder(row: Row): MerchantOrderRecord {
  return {
    merchantOrderId: row.merchant_order_id as string,
    amount: row.amount as number,
    currency: 'CNY',
    subject: row.subject as string,
    payerBizUserId: row.payer_biz_user_id as string,
    paidBizOrderNo: (row.paid_biz_order_no as string | null) ?? null,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
  };
}

export function toPayment(row: Row): PaymentRecord {
  return {
    bizOrderNo: row.biz_order_no as string,
    merchantOrderId: row.merchant_order_id as string,
    kind: row.kind as PaymentRecord['kind'],
    oriBizOrderNo: (row.ori_biz_order_no as string | null) ?? null,
    method: row.method as string,
    payMethodKey: row.pay_method_key as string,
    amount: row.amount as number,
    fee: row.fee as number,
    payerBizUserId: row.payer_biz_user_id as string,
    state: row.state as PaymentState,
    orderNo: (row.order_no as string | null) ?? null,
    action: row.action_json === null ? null : JSON.parse(row.action_json as string),
    expiresAt: row.expires_at as string,
    expiresAtCst: row.expires_at_cst as string,
    environment: row.environment as string,
    sysid: row.sysid as string,
    idempotencyKey: (row.idempotency_key as string | null) ?? null,
    failureCode: (row.failure_code as string | null) ?? null,
    failureMessage: (row.failure_message as string | null) ?? null,
    requestRaw: (row.request_raw as string | null) ?? null,
    responseRaw: (row.response_raw as string | null) ?? null,
    settlement: (row.settlement as Settlement | null) ?? null,
    reportedAmount: (row.reported_amount as number | null) ?? null,
    refundReason: (row.refund_reason as string | null) ?? null,
    refundedAmount: (row.refunded_amount as number | null) ?? 0,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
    checkedAt: (row.checked_at as string | null) ?? null,
    smsSentAt: (row.sms_sent_at as string | null) ?? null,
    smsCodeExpiresAt: (row.sms_code_expires_at as string | null) ?? null,
    smsResendAt: (row.sms_resend_at as string | null) ?? null,
    smsAttempts: (row.sms_attempts as number | null) ?? 0,
  };
}

export function toNotification(row: Row): PlatformNotificationRecord {
  return {
    id: row.id as number,
    bizOrderNo: row.biz_order_no as string,
    source: row.source as PlatformNotificationRecord['source'],
    body: row.body as string,
    status: row.status as string,
    signedAt: (row.signed_at as string | null) ?? null,
    receivedAt: row.received_at as string,
    resolvedAt: (row.resolved_at as string | null) ?? null,
  };
}

export function toEvent(row: Row): PaymentEventRecord {
  return {
    id: row.id as number,
    type: row.type as PaymentEventType,
    bizOrderNo: row.biz_order_no as string,
    merchantOrderId: row.merchant_order_id as string,
    state: row.state as PaymentState,
    previousState: (row.previous_state as PaymentState | null) ?? null,
    source: row.source as string,
    message: (row.message as string | null) ?? null,
    settlement: (row.settlement as Settlement | null) ?? null,
    evidence: (row.evidence as string | null) ?? null,
    createdAt: row.created_at as string,
    deliveredAt: (row.delivered_at as string | null) ?? null,
    deliveryAttempts: row.delivery_attempts as number,
    nextDeliveryAt: (row.next_delivery_at as string | null) ?? null,
    lastDeliveryError: (row.last_delivery_error as string | null) ?? null,
  };
}

export const PATCH_COLUMNS = {
  orderNo: 'order_no',
  action: 'action_json',
  responseRaw: 'response_raw',
  requestRaw: 'request_raw',
  checkedAt: 'checked_at',
  failureCode: 'failure_code',
  failureMessage: 'failure_message',
  settlement: 'settlement',
  reportedAmount: 'reported_amount',
  smsSentAt: 'sms_sent_at',
  smsCodeExpiresAt: 'sms_code_expires_at',
  smsResendAt: 'sms_resend_at',
} as const;

/** The columns and values of a patch (undefined fields left out); each store writes its own placeholders. */
export function patchColumns(patch: Partial<Record<keyof typeof PATCH_COLUMNS, unknown>> | undefined): { columns: string[]; values: unknown[] } {
  const columns: string[] = [];
  const values: unknown[] = [];
  for (const [key, value] of Object.entries(patch ?? {})) {
    const column = Object.hasOwn(PATCH_COLUMNS, key) ? PATCH_COLUMNS[key as keyof typeof PATCH_COLUMNS] : undefined;
    if (!column || value === undefined) continue;
    columns.push(column);
    values.push(key === 'action' ? JSON.stringify(value) : value);
  }
  return { columns, values };
}

/** A new payment's row, state `created`, created and updated `now`: the columns and their values, in one order for both stores. */
export const NEW_PAYMENT_COLUMNS =
  'biz_order_no, merchant_order_id, kind, method, pay_method_key, amount, fee, payer_biz_user_id, expires_at, expires_at_cst, environment, sysid, idempotency_key, ori_biz_order_no, refund_reason, created_at, updated_at, state';
export function newPaymentValues(payment: NewPayment, now: string): unknown[] {
  const { bizOrderNo, merchantOrderId, kind, method, payMethodKey, amount, fee, payerBizUserId, expiresAt, expiresAtCst, environment, sysid, idempotencyKey } = payment;
  const { oriBizOrderNo = null, refundReason = null } = payment;
  return [bizOrderNo, merchantOrderId, kind, method, payMethodKey, amount, fee, payerBizUserId, expiresAt, expiresAtCst, environment, sysid, idempotencyKey, oriBizOrderNo, refundReason, now, now, 'created'];
}

/** `platform_notifications.body_sha256`: a replayed notification (the same body) is the same record. */
export const notificationDigest = (body: string): string => createHash('sha256').update(body).digest('hex');

export function toMember(row: Row): MemberRecord {
  return { bizUserId: row.biz_user_id as string, userId: (row.user_id as string | null) ?? null, phone: (row.phone as string | null) ?? null, createdAt: row.created_at as string };
}

export function toMemberAcct(row: Row): MemberAcctRecord {
  return { bizUserId: row.biz_user_id as string, acctType: row.acct_type as string, acct: row.acct as string };
}
