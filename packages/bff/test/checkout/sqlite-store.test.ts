import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'tsy-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function storeWithPayment(file: string, bizOrderNo = 'P1', merchantOrderId = 'SO-1') {
  const store = new SqliteStore({ file: join(dir, file) });
  await store.upsertMerchantOrder({ merchantOrderId, amount: 1234, currency: 'CNY', subject: 'tea', payerBizUserId: 'buyer' });
  await store.insertPayment({
    bizOrderNo,
    merchantOrderId,
    kind: 'consume',
    method: 'SCAN_WEIXIN',
    payMethodKey: 'SCAN_WEIXIN',
    amount: 1234,
    fee: 0,
    payerBizUserId: 'buyer',
    expiresAt: '2030-01-01T00:00:00.000Z',
    expiresAtCst: '2030-01-01 08:00:00',
    environment: 'sandbox',
    sysid: '1',
    idempotencyKey: null,
  });
  return store;
}

describe('SQLite store', () => {
  it('creates its file with WAL and the schema, and reopens it intact', async () => {
    const store = await storeWithPayment('reopen.sqlite');
    assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
    await store.close();
    const again = new SqliteStore({ file: join(dir, 'reopen.sqlite') });
    assert.equal((await again.getPayment('P1'))?.amount, 1234);
    await again.close();
  });

  it('a transition writes the state and its event row together; a duplicate writes nothing', async () => {
    const store = await storeWithPayment('transition.sqlite');
    const first = await store.transition('P1', { fact: { type: 'accepted', source: 'apply' }, patch: { orderNo: 'Y1', action: { type: 'qr', payInfo: 'x' } } });
    assert.equal(first.changed, true);
    assert.equal(first.payment.state, 'pending');
    assert.deepEqual(first.payment.action, { type: 'qr', payInfo: 'x' });
    const paid = await store.transition('P1', { fact: { type: 'succeeded', source: 'notification' }, evidence: 'sysid=1&rps=…' });
    assert.equal(paid.events[0]?.type, 'payment.succeeded');
    assert.equal(paid.events[0]?.evidence, 'sysid=1&rps=…');
    const replay = await store.transition('P1', { fact: { type: 'succeeded', source: 'notification' } });
    assert.equal(replay.changed, false);
    assert.deepEqual((await store.listPaymentEvents('P1', 0)).map((e) => e.type), ['payment.pending', 'payment.succeeded']);
    assert.equal((await store.getMerchantOrder('SO-1'))?.paidBizOrderNo, 'P1');
    await store.close();
  });

  it('a failure records the fact’s code and message, with the platform’s default code when it gives none', async () => {
    const store = await storeWithPayment('failure.sqlite');
    await store.insertPayment({ ...(await store.getPayment('P1'))!, bizOrderNo: 'P2', idempotencyKey: null });
    const coded = await store.transition('P1', { fact: { type: 'failed', source: 'reconciliation', code: '40000', message: '支付平台无此订单' }, patch: { orderNo: 'Y1' } });
    assert.deepEqual([coded.payment.failureCode, coded.payment.failureMessage, coded.payment.orderNo], ['40000', '支付平台无此订单', 'Y1']);
    assert.equal(coded.events[0]?.message, '支付平台无此订单');
    const uncoded = await store.transition('P2', { fact: { type: 'failed', source: 'pay', message: '' } });
    assert.deepEqual([uncoded.payment.failureCode, uncoded.payment.failureMessage], ['40006', '支付失败']);
    await store.close();
  });

  it('a second success on a paid merchant order is flagged as a double payment', async () => {
    const store = await storeWithPayment('double.sqlite');
    await store.insertPayment({ ...(await store.getPayment('P1'))!, bizOrderNo: 'P2', idempotencyKey: null });
    await store.transition('P1', { fact: { type: 'succeeded', source: 'notification' } });
    const second = await store.transition('P2', { fact: { type: 'succeeded', source: 'reconciliation' } });
    assert.deepEqual(second.events.map((e) => e.type), ['payment.succeeded', 'payment.double_paid']);
    assert.equal(second.payment.settlement, 'double_paid');
    assert.equal((await store.getMerchantOrder('SO-1'))?.paidBizOrderNo, 'P1');
    await store.close();
  });

  it('delivers events in order per payment: a failed one holds back the ones after it', async () => {
    const store = await storeWithPayment('outbox.sqlite');
    await store.transition('P1', { fact: { type: 'accepted', source: 'apply' } });
    await store.transition('P1', { fact: { type: 'succeeded', source: 'notification' } });
    const now = new Date().toISOString();
    const [first] = await store.listEventsToDeliver(now, 10);
    assert.equal(first?.type, 'payment.pending');
    await store.markEventDeliveryFailed(first!.id, 'hook down', new Date(Date.now() + 60_000).toISOString());
    assert.deepEqual(await store.listEventsToDeliver(now, 10), [], 'the later event waits behind the failed one');
    const later = new Date(Date.now() + 61_000).toISOString();
    assert.equal((await store.listEventsToDeliver(later, 10))[0]?.id, first!.id);
    await store.markEventDelivered(first!.id, later);
    assert.equal((await store.listEventsToDeliver(later, 10))[0]?.type, 'payment.succeeded');
    await store.close();
  });

  it('a paid merchant order is not rewritten by a later resolveOrder', async () => {
    const store = await storeWithPayment('paid-order.sqlite');
    await store.transition('P1', { fact: { type: 'succeeded', source: 'notification' } });
    await store.upsertMerchantOrder({ merchantOrderId: 'SO-1', amount: 1, currency: 'CNY', subject: 'changed', payerBizUserId: 'buyer' });
    assert.equal((await store.getMerchantOrder('SO-1'))?.amount, 1234);
    await store.close();
  });
});

describe('payment codes', () => {
  it('records a code once until it expires, across two stores on one file; the install secret is random and kept', async () => {
    const file = join(dir, 'codes.sqlite');
    const a = new SqliteStore({ file });
    const b = new SqliteStore({ file });
    const code = { digest: 'd1', usedAt: '2030-01-01T00:00:00.000Z', expiresAt: '2030-01-02T00:00:00.000Z' };
    assert.deepEqual(await a.reservePaymentCode({ ...code, bizOrderNo: 'P1' }), { reserved: true });
    assert.deepEqual(await b.reservePaymentCode({ ...code, bizOrderNo: 'P2' }), { reserved: false, bizOrderNo: 'P1' });
    assert.deepEqual(await b.reservePaymentCode({ ...code, bizOrderNo: 'P3', usedAt: '2030-01-02T00:00:00.000Z', expiresAt: '2030-01-03T00:00:00.000Z' }), { reserved: true }, 'forgotten after a day');
    assert.match(await a.installSecret(), /^[0-9a-f]{64}$/);
    assert.equal(await a.installSecret(), await b.installSecret());
    const other = new SqliteStore({ file: join(dir, 'other.sqlite') });
    assert.notEqual(await other.installSecret(), await a.installSecret(), 'each installation has its own');
    await Promise.all([a.close(), b.close(), other.close()]);
  });
});
