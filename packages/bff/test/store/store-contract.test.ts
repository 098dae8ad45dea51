// The Store contract (store/types.ts), one suite run against both stores: SQLite on a file and PostgreSQL in a cluster
// started for this file. "Another instance" is a second store opened on the same database, as a second process would.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newPayment, storeKinds, storeWithPayment } from './support.js';

const kinds = storeKinds();
const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const iso = (ms: number) => at(ms).toISOString();

for (const kind of [kinds.sqlite, kinds.postgres]) {
  describe(`${kind.name} store`, () => {
    describe('transitions', () => {
      it('writes the state and its event row together; a duplicate writes nothing', async () => {
        const { store } = await storeWithPayment(kind);
        const first = await store.transition('P1', { fact: { type: 'accepted', source: 'apply' }, patch: { orderNo: 'Y1', action: { type: 'qr', payInfo: 'x' } } });
        assert.equal(first.changed, true);
        assert.equal(first.payment.state, 'pending');
        assert.deepEqual(first.payment.action, { type: 'qr', payInfo: 'x' });
        assert.equal(first.payment.orderNo, 'Y1');
        const paid = await store.transition('P1', { fact: { type: 'succeeded', source: 'notification' }, evidence: 'sysid=1&rps=…' });
        assert.equal(paid.events[0]?.type, 'payment.succeeded');
        assert.equal(paid.events[0]?.evidence, 'sysid=1&rps=…');
        assert.equal(paid.payment.settlement, 'paid');
        const replay = await store.transition('P1', { fact: { type: 'succeeded', source: 'notification' } });
        assert.equal(replay.changed, false);
        assert.deepEqual(replay.events, []);
        const events = await store.listPaymentEvents('P1', 0);
        assert.deepEqual(events.map((e) => [e.type, e.previousState, e.state]), [['payment.pending', 'created', 'pending'], ['payment.succeeded', 'pending', 'success']]);
        assert.ok(events[0]!.id < events[1]!.id, 'event ids grow');
        assert.deepEqual((await store.listPaymentEvents('P1', events[0]!.id)).map((e) => e.id), [events[1]!.id], 'replay after an id');
        assert.equal((await store.getMerchantOrder('SO-1'))?.paidBizOrderNo, 'P1');
      });

      it('a fact that changes no state still keeps what was learnt with it, with no event', async () => {
        const { store } = await storeWithPayment(kind);
        await store.transition('P1', { fact: { type: 'accepted', source: 'apply' } });
        const again = await store.transition('P1', { fact: { type: 'accepted', source: 'reconciliation' }, patch: { orderNo: 'Y9' } });
        assert.equal(again.changed, false);
        assert.equal(again.payment.orderNo, 'Y9');
        assert.equal((await store.listPaymentEvents('P1', 0)).length, 1);
      });

      it('a failure records the fact’s code and message, with the platform’s default code when it gives none', async () => {
        const { store } = await storeWithPayment(kind);
        await store.insertPayment(newPayment({ bizOrderNo: 'P2' }));
        const coded = await store.transition('P1', { fact: { type: 'failed', source: 'reconciliation', code: '40000', message: '支付平台无此订单' }, patch: { orderNo: 'Y1' } });
        assert.deepEqual([coded.payment.failureCode, coded.payment.failureMessage, coded.payment.orderNo], ['40000', '支付平台无此订单', 'Y1']);
        assert.equal(coded.events[0]?.message, '支付平台无此订单');
        const uncoded = await store.transition('P2', { fact: { type: 'failed', source: 'pay', message: '' } });
        assert.deepEqual([uncoded.payment.failureCode, uncoded.payment.failureMessage], ['40006', '支付失败']);
      });

      it('a second success on a paid merchant order is flagged as a double payment; the order stays paid by the first', async () => {
        const { store } = await storeWithPayment(kind);
        await store.insertPayment(newPayment({ bizOrderNo: 'P2' }));
        await store.transition('P1', { fact: { type: 'succeeded', source: 'notification' } });
        const second = await store.transition('P2', { fact: { type: 'succeeded', source: 'reconciliation' } });
        assert.deepEqual(second.events.map((e) => e.type), ['payment.succeeded', 'payment.double_paid']);
        assert.equal(second.payment.settlement, 'double_paid');
        assert.equal((await store.getMerchantOrder('SO-1'))?.paidBizOrderNo, 'P1');
      });

      it('a reported amount other than the payment’s is kept with the success', async () => {
        const { store } = await storeWithPayment(kind);
        const paid = await store.transition('P1', { fact: { type: 'succeeded', source: 'reconciliation', amount: 999 } });
        assert.equal(paid.payment.reportedAmount, 999);
        assert.notEqual(paid.payment.settlement, 'paid');
      });

      it('an unknown payment is an error, not a row', async () => {
        const { store } = await storeWithPayment(kind);
        await assert.rejects(store.transition('NOPE', { fact: { type: 'accepted', source: 'apply' } }), /unknown payment NOPE/);
      });

      it('two instances racing the same success: exactly one changes it, with one event', async () => {
        const { store, open } = await storeWithPayment(kind);
        const other = await open();
        await store.transition('P1', { fact: { type: 'accepted', source: 'apply' } });
        const results = await Promise.all([
          store.transition('P1', { fact: { type: 'succeeded', source: 'notification' } }),
          other.transition('P1', { fact: { type: 'succeeded', source: 'return' } }),
          store.transition('P1', { fact: { type: 'succeeded', source: 'reconciliation' } }),
          other.transition('P1', { fact: { type: 'succeeded', source: 'notification' } }),
        ]);
        assert.equal(results.filter((result) => result.changed).length, 1);
        assert.deepEqual((await other.listPaymentEvents('P1', 0)).map((e) => e.type), ['payment.pending', 'payment.succeeded']);
      });

      it('two instances racing successes of two payments of one order: one pays it, the other is the double payment', async () => {
        const { store, open } = await storeWithPayment(kind);
        const other = await open();
        await store.insertPayment(newPayment({ bizOrderNo: 'P2' }));
        const [a, b] = await Promise.all([
          store.transition('P1', { fact: { type: 'succeeded', source: 'notification' } }),
          other.transition('P2', { fact: { type: 'succeeded', source: 'notification' } }),
        ]);
        assert.deepEqual([a.payment.settlement, b.payment.settlement].sort(), ['double_paid', 'paid']);
        const payer = a.payment.settlement === 'paid' ? 'P1' : 'P2';
        assert.equal((await store.getMerchantOrder('SO-1'))?.paidBizOrderNo, payer);
      });
    });

    describe('merchant orders and payments', () => {
      it('a paid merchant order is not rewritten by a later resolveOrder; an unpaid one is', async () => {
        const { store } = await storeWithPayment(kind);
        assert.equal((await store.upsertMerchantOrder({ merchantOrderId: 'SO-1', amount: 1234, currency: 'CNY', subject: 'more tea', payerBizUserId: 'buyer' })).subject, 'more tea');
        await store.transition('P1', { fact: { type: 'succeeded', source: 'notification' } });
        await store.upsertMerchantOrder({ merchantOrderId: 'SO-1', amount: 1, currency: 'CNY', subject: 'changed', payerBizUserId: 'buyer' });
        assert.deepEqual([(await store.getMerchantOrder('SO-1'))?.amount, (await store.getMerchantOrder('SO-1'))?.subject], [1234, 'more tea']);
        assert.equal(await store.getMerchantOrder('SO-X'), undefined);
      });

      it('an idempotency key names one payment of a merchant order; without a key there is no such limit', async () => {
        const { store } = await storeWithPayment(kind);
        await store.insertPayment(newPayment({ bizOrderNo: 'K1', idempotencyKey: 'key-1' }));
        await assert.rejects(store.insertPayment(newPayment({ bizOrderNo: 'K2', idempotencyKey: 'key-1' })));
        assert.equal(await store.getPayment('K2'), undefined);
        assert.equal((await store.findPaymentByIdempotencyKey('SO-1', 'key-1'))?.bizOrderNo, 'K1');
        assert.equal(await store.findPaymentByIdempotencyKey('SO-1', 'key-2'), undefined);
        await store.insertPayment(newPayment({ bizOrderNo: 'N2' }));
        await store.insertPayment(newPayment({ bizOrderNo: 'N3' }));
        assert.equal((await store.getPayment('N3'))?.idempotencyKey, null);
      });

      it('the open payment of a merchant order is the newest created or pending one', async () => {
        const { store } = await storeWithPayment(kind);
        assert.equal((await store.findOpenPayment('SO-1'))?.bizOrderNo, 'P1');
        await store.transition('P1', { fact: { type: 'failed', source: 'pay', message: 'no' } });
        assert.equal(await store.findOpenPayment('SO-1'), undefined);
      });

      it('patches and SMS counters: compare-and-set resend, attempts taken up to the limit and given back', async () => {
        const { store, open } = await storeWithPayment(kind);
        await store.patchPayment('P1', { smsSentAt: iso(0), smsCodeExpiresAt: iso(300_000), requestRaw: 'req' });
        const patched = (await store.getPayment('P1'))!;
        assert.deepEqual([patched.smsSentAt, patched.smsCodeExpiresAt, patched.requestRaw, patched.state], [iso(0), iso(300_000), 'req', 'created']);
        assert.equal(await store.swapSmsResendAt('P1', null, iso(60_000)), true);
        assert.equal(await store.swapSmsResendAt('P1', null, iso(70_000)), false, 'no longer null');
        assert.equal(await store.swapSmsResendAt('P1', iso(60_000), null), true);
        const other = await open();
        const taken = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? store : other).takeSmsAttempt('P1', 5)));
        assert.deepEqual(taken.filter((n) => n !== undefined).sort(), [1, 2, 3, 4, 5], 'two instances at once never pass the limit');
        await store.returnSmsAttempt('P1');
        assert.equal(await store.takeSmsAttempt('P1', 5), 5);
      });

      it('the open-payment cap holds for instances creating at once', async () => {
        const { store, open } = await storeWithPayment(kind);
        const other = await open();
        await store.upsertMerchantOrder({ merchantOrderId: 'SO-2', amount: 100, currency: 'CNY', subject: 'x', payerBizUserId: 'buyer' });
        const tries = Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? store : other).insertPaymentWithinOpenLimit(newPayment({ bizOrderNo: `C${i}`, merchantOrderId: 'SO-2', amount: 100, expiresAt: iso(60_000 + i) }), { maxOpen: 2, now: iso(0) }),
        );
        const outcomes = await Promise.all(tries);
        const stored = outcomes.filter((outcome) => outcome.payment !== undefined);
        assert.equal(stored.length, 2);
        for (const outcome of outcomes) if (!outcome.payment) assert.ok(outcome.openUntil >= iso(60_000) && outcome.openUntil <= iso(60_005));
        const expired = await store.insertPaymentWithinOpenLimit(newPayment({ bizOrderNo: 'C9', merchantOrderId: 'SO-2', amount: 100, expiresAt: iso(120_000) }), { maxOpen: 2, now: iso(100_000) });
        assert.equal(expired.payment?.bizOrderNo, 'C9', 'expired ones do not count');
      });

      it('payments to reconcile: open ones past the age, least recently checked first, and young ones with an unresolved hint', async () => {
        const { store } = await storeWithPayment(kind);
        const options = { createdBefore: '2999-01-01T00:00:00.000Z', checkedBefore: '2999-01-01T00:00:00.000Z', expiredAfter: '2000-01-01T00:00:00.000Z', limit: 10 };
        await store.insertPayment(newPayment({ bizOrderNo: 'P2' }));
        await store.patchPayment('P1', { checkedAt: '2020-01-01T00:00:00.000Z' });
        assert.deepEqual((await store.listPaymentsToReconcile(options)).map((p) => p.bizOrderNo), ['P2', 'P1']);
        const young = { ...options, createdBefore: '2000-01-01T00:00:00.000Z' };
        assert.deepEqual(await store.listPaymentsToReconcile(young), []);
        await store.recordNotification({ bizOrderNo: 'P2', source: 'notification', body: 'a=1', status: 'error', signedAt: null, resolved: false });
        assert.deepEqual((await store.listPaymentsToReconcile(young)).map((p) => p.bizOrderNo), ['P2']);
      });
    });

    describe('refunds', () => {
      const refund = (bizOrderNo: string, idempotencyKey: string, asked: { amount?: number; feeAmount?: number } = {}) => ({ bizOrderNo, oriBizOrderNo: 'P1', idempotencyKey, reason: 'test', asked });
      const paidStore = async (fee = 0) => {
        const open = await kind.database();
        const store = await open();
        await store.upsertMerchantOrder({ merchantOrderId: 'SO-1', amount: 1234, currency: 'CNY', subject: 'tea', payerBizUserId: 'buyer' });
        await store.insertPayment(newPayment({ fee }));
        await store.transition('P1', { fact: { type: 'succeeded', source: 'notification' } });
        return { store, open };
      };

      it('stores a refund of a paid payment as its own row, from the payment; the same key finds it again', async () => {
        const { store } = await paidStore();
        const made = await store.insertRefund(refund('R1', 'k1', { amount: 400 }));
        assert.ok(made.outcome === 'created');
        assert.deepEqual(
          [made.refund.kind, made.refund.oriBizOrderNo, made.refund.merchantOrderId, made.refund.payerBizUserId, made.refund.amount, made.refund.fee, made.refund.state, made.refund.refundReason],
          ['refund', 'P1', 'SO-1', 'buyer', 400, 0, 'created', 'test'],
        );
        const again = await store.insertRefund(refund('R2', 'k1', { amount: 400 }));
        assert.ok(again.outcome === 'existing');
        assert.equal(again.refund.bizOrderNo, 'R1');
        assert.equal(await store.getPayment('R2'), undefined);
        // A refund is no open attempt of its order, and its key is not the order's.
        assert.equal((await store.findOpenPayment('SO-1')), undefined);
        assert.equal(await store.findPaymentByIdempotencyKey('SO-1', 'k1'), undefined);
      });

      it('refunds never add up to more than was paid; a failed one gives its room back; a full refund takes what is left', async () => {
        const { store } = await paidStore();
        assert.equal((await store.insertRefund(refund('R1', 'k1', { amount: 1000 }))).outcome, 'created');
        const over = await store.insertRefund(refund('R2', 'k2', { amount: 235 }));
        assert.deepEqual(over, { outcome: 'refused', refusal: { reason: 'exceeds', room: { amount: 234, feeAmount: 0 } } });
        await store.transition('R1', { fact: { type: 'failed', source: 'apply', code: '40006', message: 'no' } });
        const full = await store.insertRefund(refund('R3', 'k3'));
        assert.equal(full.outcome !== 'refused' && full.refund.amount, 1234);
        assert.deepEqual(await store.insertRefund(refund('R4', 'k4')), { outcome: 'refused', refusal: { reason: 'nothing_left', room: { amount: 0, feeAmount: 0 } } });
        assert.deepEqual((await store.listRefunds('P1')).map((r) => r.bizOrderNo), ['R1', 'R3']);
      });

      it('rule 11: without feeAmount at most amount − fee; with it, the fee part at most the fee', async () => {
        const { store } = await paidStore(34);
        assert.equal((await store.insertRefund(refund('R1', 'k1', { amount: 1201 }))).outcome, 'refused', 'A: 1234 − 34');
        assert.equal((await store.insertRefund(refund('R2', 'k2', { amount: 1200 }))).outcome, 'created');
        assert.equal((await store.insertRefund(refund('R3', 'k3', { amount: 35, feeAmount: 35 }))).outcome, 'refused', 'B: the fee is 34');
        const rest = await store.insertRefund(refund('R4', 'k4'));
        assert.deepEqual(rest.outcome !== 'refused' && [rest.refund.amount, rest.refund.fee], [34, 34], 'what is left: the fee');
      });

      it('an unpaid payment, a refund, or no payment: refused', async () => {
        const { store } = await storeWithPayment(kind);
        assert.deepEqual(await store.insertRefund(refund('R1', 'k1')), { outcome: 'refused', refusal: { reason: 'not_paid' } });
        assert.deepEqual(await store.insertRefund({ ...refund('R1', 'k1'), oriBizOrderNo: 'NOPE' }), { outcome: 'refused', refusal: { reason: 'not_found' } });
        await store.transition('P1', { fact: { type: 'succeeded', source: 'notification' } });
        assert.equal((await store.insertRefund(refund('R1', 'k1', { amount: 10 }))).outcome, 'created');
        assert.deepEqual(await store.insertRefund({ ...refund('R2', 'k2'), oriBizOrderNo: 'R1' }), { outcome: 'refused', refusal: { reason: 'not_a_payment' } });
      });

      it('a refund’s success is a refund.* event, counts on its payment once, and never touches the order', async () => {
        const { store } = await paidStore();
        await store.insertRefund(refund('R1', 'k1', { amount: 500 }));
        const pending = await store.transition('R1', { fact: { type: 'accepted', source: 'apply' } });
        assert.deepEqual(pending.events.map((e) => [e.type, e.merchantOrderId]), [['refund.pending', 'SO-1']]);
        const done = await store.transition('R1', { fact: { type: 'succeeded', source: 'notification', amount: 500 } });
        assert.deepEqual(done.events.map((e) => [e.type, e.settlement]), [['refund.succeeded', null]]);
        assert.equal((await store.transition('R1', { fact: { type: 'succeeded', source: 'reconciliation', amount: 500 } })).changed, false);
        assert.equal((await store.transition('R1', { fact: { type: 'expired', source: 'clock' } })).changed, false, 'no deadline');
        assert.equal((await store.getPayment('P1'))?.refundedAmount, 500);
        assert.equal((await store.getMerchantOrder('SO-1'))?.paidBizOrderNo, 'P1');
      });

      // On SQLite the two instances' calls are serialised by the file's write lock (better-sqlite3 is synchronous); on
      // PostgreSQL they truly overlap and the payment's row lock orders them.
      it('concurrent refunds from two instances never give back more than was paid', async () => {
        const { store, open } = await paidStore();
        const other = await open();
        const outcomes = await Promise.all(Array.from({ length: 12 }, (_, n) => (n % 2 ? other : store).insertRefund(refund(`R${n}`, `k${n}`, { amount: 300 }))));
        assert.equal(outcomes.filter((o) => o.outcome === 'created').length, 4, '4 × 300 ≤ 1234 < 5 × 300');
        const same = await Promise.all([store.insertRefund(refund('S1', 'same', { amount: 1 })), other.insertRefund(refund('S2', 'same', { amount: 1 }))]);
        assert.deepEqual(same.map((o) => o.outcome).sort(), ['created', 'existing'], 'one key, one refund');
        const total = (await store.listRefunds('P1')).reduce((sum, r) => sum + r.amount, 0);
        assert.equal(total, 1201);
        await other.close();
      });

      it('lists flagged payments (a success that did not pay its order) until they are refunded in full', async () => {
        const { store } = await paidStore();
        await store.insertPayment(newPayment({ bizOrderNo: 'P2' }));
        await store.transition('P2', { fact: { type: 'succeeded', source: 'notification' } });
        assert.deepEqual((await store.listFlaggedPayments()).map((p) => p.bizOrderNo), ['P2']);
        await store.insertRefund({ ...refund('R1', 'k1'), oriBizOrderNo: 'P2' });
        await store.transition('R1', { fact: { type: 'succeeded', source: 'apply' } });
        assert.deepEqual(await store.listFlaggedPayments(), []);
      });
    });

    describe('notifications', () => {
      it('keeps a verified message once: a replay of the same body is the same record; resolving ends the follow-up', async () => {
        const { store } = await storeWithPayment(kind);
        const first = await store.recordNotification({ bizOrderNo: 'P1', source: 'notification', body: 'rps=1', status: 'pending', signedAt: iso(0), resolved: false });
        const replay = await store.recordNotification({ bizOrderNo: 'P1', source: 'notification', body: 'rps=1', status: 'pending', signedAt: iso(0), resolved: true });
        assert.equal(replay.id, first.id);
        assert.equal(replay.resolvedAt, null, 'the replay changes nothing');
        await store.recordNotification({ bizOrderNo: 'P1', source: 'return', body: 'rps=2', status: 'OK', signedAt: null, resolved: true });
        const kept = await store.listNotifications('P1');
        assert.deepEqual(kept.map((n) => [n.source, n.body, n.status, n.signedAt, n.resolvedAt !== null]), [['notification', 'rps=1', 'pending', iso(0), false], ['return', 'rps=2', 'OK', null, true]]);
        await store.resolveNotifications('P1', iso(5));
        assert.deepEqual((await store.listNotifications('P1')).map((n) => n.resolvedAt !== null), [true, true]);
      });
    });

    describe('members', () => {
      it('an upsert keeps what it is not told; accounts are kept once', async () => {
        const { store } = await storeWithPayment(kind);
        assert.equal(await store.getMember('u1'), undefined);
        await store.upsertMember({ bizUserId: 'u1', userId: 'Y-1' });
        const bound = await store.upsertMember({ bizUserId: 'u1', phone: '13800000000' });
        assert.deepEqual([bound.userId, bound.phone], ['Y-1', '13800000000']);
        await store.addMemberAcct({ bizUserId: 'u1', acctType: 'weChatPublic', acct: 'openid-1' });
        await store.addMemberAcct({ bizUserId: 'u1', acctType: 'weChatPublic', acct: 'openid-1' });
        await store.addMemberAcct({ bizUserId: 'u1', acctType: 'aliPayService', acct: 'ali-1' });
        assert.deepEqual((await store.listMemberAccts('u1')).map((a) => a.acct).sort(), ['ali-1', 'openid-1']);
      });
    });

    describe('rate-limit counters', () => {
      it('counts up to the limit in a window, refuses after with the time left, and starts afresh when the window ends', async () => {
        const { store } = await storeWithPayment(kind);
        const hit = (ms: number) => store.hitRateLimit({ key: 'k', limit: 3, windowMs: 60_000, now: at(ms) });
        assert.deepEqual(await hit(0), { allowed: true, count: 1, retryAfterMs: 60_000 });
        assert.deepEqual(await hit(10_000), { allowed: true, count: 2, retryAfterMs: 50_000 });
        assert.deepEqual(await hit(20_000), { allowed: true, count: 3, retryAfterMs: 40_000 });
        assert.deepEqual(await hit(30_000), { allowed: false, count: 3, retryAfterMs: 30_000 });
        assert.deepEqual(await hit(60_000), { allowed: true, count: 1, retryAfterMs: 60_000 }, 'the window ended: a new one from this hit');
        assert.deepEqual(await store.hitRateLimit({ key: 'other', limit: 3, windowMs: 60_000, now: at(60_000) }), { allowed: true, count: 1, retryAfterMs: 60_000 }, 'keys are apart');
      });

      it('the hit that reaches the limit holds the window at least blockMs from then (a lockout)', async () => {
        const { store } = await storeWithPayment(kind);
        const hit = (ms: number) => store.hitRateLimit({ key: 'bind', limit: 2, windowMs: 60_000, blockMs: 600_000, now: at(ms) });
        assert.equal((await hit(0)).retryAfterMs, 60_000, 'under the limit: the window');
        assert.deepEqual(await hit(50_000), { allowed: true, count: 2, retryAfterMs: 600_000 });
        assert.deepEqual(await hit(70_000), { allowed: false, count: 2, retryAfterMs: 580_000 }, 'past the window, still locked');
        assert.equal((await hit(650_000)).allowed, true, 'the lockout ended');
      });

      it('a hit given back frees its place in the window; never below zero', async () => {
        const { store } = await storeWithPayment(kind);
        const hit = (ms: number) => store.hitRateLimit({ key: 'g', limit: 2, windowMs: 60_000, now: at(ms) });
        await hit(0);
        await hit(1);
        assert.equal((await hit(2)).allowed, false);
        await store.returnRateLimitHit('g', at(3));
        assert.deepEqual(await hit(4), { allowed: true, count: 2, retryAfterMs: 59_996 });
        for (const ms of [5, 6, 7]) await store.returnRateLimitHit('g', at(ms));
        assert.equal((await hit(8)).count, 1, 'not below zero');
      });

      it('two instances hitting one key at once are allowed exactly the limit, each count handed out once', async () => {
        const { store, open } = await storeWithPayment(kind);
        const other = await open();
        const hits = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? store : other).hitRateLimit({ key: 'flood', limit: 17, windowMs: 60_000, now: at(i) })));
        const counts = hits.filter((h) => h.allowed).map((h) => h.count).sort((a, b) => a - b);
        assert.deepEqual(counts, Array.from({ length: 17 }, (_, i) => i + 1));
      });
    });

    describe('payment codes', () => {
      it('records a code once until it expires, across two instances; the install secret is random and kept per database', async () => {
        const { store: a, open } = await storeWithPayment(kind);
        const b = await open();
        const code = { digest: 'd1', usedAt: iso(0), expiresAt: iso(86_400_000) };
        const [first, second] = await Promise.all([a.reservePaymentCode({ ...code, bizOrderNo: 'P1' }), b.reservePaymentCode({ ...code, bizOrderNo: 'P2' })]);
        const winner = first.reserved ? 'P1' : 'P2';
        assert.deepEqual([first, second].filter((r) => r.reserved).length, 1, 'two instances at once: one reserves it');
        assert.deepEqual(await b.reservePaymentCode({ ...code, bizOrderNo: 'P3' }), { reserved: false, bizOrderNo: winner });
        assert.deepEqual(await b.reservePaymentCode({ ...code, bizOrderNo: 'P4', usedAt: iso(86_400_000), expiresAt: iso(172_800_000) }), { reserved: true }, 'forgotten after a day');
        await b.releasePaymentCode('d1', 'P3');
        assert.equal((await a.reservePaymentCode({ ...code, bizOrderNo: 'P5', usedAt: iso(86_400_001) })).reserved, false, 'released only by the payment it was for');
        await b.releasePaymentCode('d1', 'P4');
        assert.equal((await a.reservePaymentCode({ ...code, bizOrderNo: 'P5', usedAt: iso(86_400_001) })).reserved, true);
        assert.match(await a.installSecret(), /^[0-9a-f]{64}$/);
        assert.equal(await a.installSecret(), await b.installSecret());
        const other = await (await kind.database())();
        assert.notEqual(await other.installSecret(), await a.installSecret(), 'each installation has its own');
      });
    });

    describe('event delivery claims', () => {
      it('in order per payment: a failed event holds back the ones after it, and is due again at its retry time', async () => {
        const { store } = await storeWithPayment(kind);
        await store.transition('P1', { fact: { type: 'accepted', source: 'apply' } });
        await store.transition('P1', { fact: { type: 'succeeded', source: 'notification' } });
        const now = new Date().toISOString();
        const claim = (when: string) => store.claimEventsToDeliver({ now: when, limit: 10, leaseMs: 60_000, owner: 'a' });
        const [first, ...rest] = await claim(now);
        assert.equal(first?.type, 'payment.pending');
        assert.deepEqual(rest, [], 'one per payment');
        await store.markEventDeliveryFailed(first!.id, 'a', 'hook down', new Date(Date.now() + 60_000).toISOString());
        assert.deepEqual(await claim(now), [], 'the later event waits behind the failed one');
        const later = new Date(Date.now() + 61_000).toISOString();
        const retry = await claim(later);
        assert.deepEqual(retry.map((e) => [e.id, e.deliveryAttempts, e.lastDeliveryError]), [[first!.id, 1, 'hook down']]);
        await store.markEventDelivered(first!.id, later);
        assert.equal((await claim(later))[0]?.type, 'payment.succeeded');
      });

      it('of two owners claiming at once, one gets each event; a lease held keeps the payment from the other until it ends', async () => {
        const { store, open } = await storeWithPayment(kind);
        const other = await open();
        for (let i = 2; i <= 6; i++) await store.insertPayment(newPayment({ bizOrderNo: `P${i}` }));
        for (let i = 1; i <= 6; i++) await store.transition(`P${i}`, { fact: { type: 'accepted', source: 'apply' } });
        await store.transition('P1', { fact: { type: 'succeeded', source: 'notification' } });
        const now = iso(0);
        const [a, b] = await Promise.all([
          store.claimEventsToDeliver({ now, limit: 10, leaseMs: 60_000, owner: 'a' }),
          other.claimEventsToDeliver({ now, limit: 10, leaseMs: 60_000, owner: 'b' }),
        ]);
        const claimed = [...a, ...b].map((e) => e.bizOrderNo).sort();
        assert.deepEqual(claimed, ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'], 'each payment’s first event, to one owner');
        assert.deepEqual(await other.claimEventsToDeliver({ now: iso(1000), limit: 10, leaseMs: 60_000, owner: 'c' }), [], 'all leased');
        const p1 = [...a, ...b].find((e) => e.bizOrderNo === 'P1')!;
        await store.markEventDelivered(p1.id, iso(2000));
        const next = await other.claimEventsToDeliver({ now: iso(2000), limit: 10, leaseMs: 60_000, owner: 'c' });
        assert.deepEqual(next.map((e) => [e.bizOrderNo, e.type]), [['P1', 'payment.succeeded']], 'delivered: the payment’s next event is free');
        const expired = await store.claimEventsToDeliver({ now: iso(60_001), limit: 10, leaseMs: 60_000, owner: 'd' });
        assert.deepEqual(expired.map((e) => e.bizOrderNo).sort(), ['P2', 'P3', 'P4', 'P5', 'P6'], 'leases past their time are free again');
      });
      it('a late failure of an owner whose lease lapsed leaves the event to the owner that claimed it since', async () => {
        const { store, open } = await storeWithPayment(kind);
        const other = await open();
        await store.transition('P1', { fact: { type: 'accepted', source: 'apply' } });
        const [event] = await store.claimEventsToDeliver({ now: iso(0), limit: 10, leaseMs: 10_000, owner: 'a' });
        const [again] = await other.claimEventsToDeliver({ now: iso(10_001), limit: 10, leaseMs: 10_000, owner: 'b' });
        assert.equal(again?.id, event!.id, 'a’s lease lapsed: b claims the event');
        await store.markEventDeliveryFailed(event!.id, 'a', 'a’s hook timed out', iso(600_000));
        const [row] = await other.listPaymentEvents('P1', 0);
        assert.deepEqual([row!.deliveryAttempts, row!.nextDeliveryAt, row!.lastDeliveryError], [0, null, null], 'a’s failure changed nothing');
        assert.deepEqual(await store.claimEventsToDeliver({ now: iso(12_000), limit: 10, leaseMs: 10_000, owner: 'c' }), [], 'b still holds it');
        await other.markEventDeliveryFailed(event!.id, 'b', 'b’s hook failed', iso(30_000));
        const [failed] = await other.listPaymentEvents('P1', 0);
        assert.deepEqual([failed!.deliveryAttempts, failed!.lastDeliveryError], [1, 'b’s hook failed'], 'the owner’s own failure counts');
      });
      it('a claim renewed by its owner holds past its first end; renewed by another, nothing changes', async () => {
        const { store, open } = await storeWithPayment(kind);
        const other = await open();
        await store.transition('P1', { fact: { type: 'accepted', source: 'apply' } });
        const [event] = await store.claimEventsToDeliver({ now: iso(0), limit: 10, leaseMs: 60_000, owner: 'a' });
        await other.renewEventClaims([event!.id], 'b', iso(600_000));
        await store.renewEventClaims([event!.id], 'a', iso(120_000));
        assert.deepEqual(await other.claimEventsToDeliver({ now: iso(61_000), limit: 10, leaseMs: 60_000, owner: 'b' }), [], 'renewed: still a’s');
        assert.deepEqual((await other.claimEventsToDeliver({ now: iso(120_000), limit: 10, leaseMs: 60_000, owner: 'b' })).map((e) => e.id), [event!.id], 'b’s renewal did not hold it');
        await store.markEventDelivered(event!.id, iso(121_000));
        await other.renewEventClaims([event!.id], 'b', iso(900_000));
        assert.notEqual((await other.listPaymentEvents('P1', 0))[0]!.deliveredAt, null);
      });
    });

    describe('reconciliation claims', () => {
      it('one owner at a time per payment, until it releases or its claim ends', async () => {
        const { store, open } = await storeWithPayment(kind);
        const other = await open();
        const claim = (on: typeof store, owner: string, ms: number) => on.claimReconciliation('P1', { owner, now: iso(ms), until: iso(ms + 30_000) });
        const both = await Promise.all([claim(store, 'a', 0), claim(other, 'b', 0)]);
        assert.deepEqual(both.filter(Boolean).length, 1, 'two at once: one gets it');
        const holder = both[0] ? 'a' : 'b';
        const rival = holder === 'a' ? 'b' : 'a';
        assert.equal(await claim(store, rival, 1000), false);
        await store.releaseReconciliation('P1', rival);
        assert.equal(await claim(store, rival, 1000), false, 'another owner cannot release it');
        await other.releaseReconciliation('P1', holder);
        assert.equal(await claim(store, rival, 2000), true);
        assert.equal(await claim(other, holder, 31_999), false);
        assert.equal(await claim(other, holder, 32_000), true, 'a claim that ended is free');
      });
    });
  });
}
