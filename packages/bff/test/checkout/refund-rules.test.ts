// The refund rules (payments/refunds.ts, spec §4.2.16), pure: what a payment may still give back and what a refund asks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideRefund, refundRoom, type RefundableFacts } from '../../src/payments/refunds.js';

const paid: RefundableFacts = { kind: 'consume', method: 'SCAN_WEIXIN', state: 'success', amount: 1000, fee: 100, reportedAmount: null };

describe('refund rules', () => {
  it('what is left: paid less earlier refunds, a failed refund not counted, an open one counted', () => {
    assert.deepEqual(refundRoom(paid, []), { amount: 1000, feeAmount: 100 });
    assert.deepEqual(refundRoom(paid, [{ amount: 300, fee: 0, state: 'pending', reportedAmount: null }, { amount: 500, fee: 50, state: 'failed', reportedAmount: null }]), { amount: 700, feeAmount: 100 });
    assert.deepEqual(refundRoom({ ...paid, reportedAmount: 600 }, []), { amount: 600, feeAmount: 100 }, 'money moved for the reported amount');
  });

  it('full by default (fee included); an amount alone is rule 11 A; with feeAmount rule 11 B', () => {
    assert.deepEqual(decideRefund(paid, [], {}), { refused: false, amount: 1000, feeAmount: 100 });
    assert.deepEqual(decideRefund(paid, [], { amount: 900 }), { refused: false, amount: 900, feeAmount: 0 });
    assert.equal(decideRefund(paid, [], { amount: 901 }).refused, true, 'A: at most amount − fee');
    assert.deepEqual(decideRefund(paid, [], { amount: 1000, feeAmount: 100 }), { refused: false, amount: 1000, feeAmount: 100 });
    assert.equal(decideRefund(paid, [], { amount: 1000, feeAmount: 101 }).refused, true, 'B: feeAmount at most the fee');
    assert.deepEqual(decideRefund(paid, [], { feeAmount: 40 }), { refused: false, amount: 940, feeAmount: 40 });
  });

  it('refuses unpaid payments and refunds; refunds query-mode POS payments; collections only in full or with a refundList', () => {
    assert.deepEqual(decideRefund({ ...paid, state: 'pending' }, [], {}), { refused: true, refusal: { reason: 'not_paid' } });
    assert.deepEqual(decideRefund({ ...paid, kind: 'refund' }, [], {}), { refused: true, refusal: { reason: 'not_a_payment' } });
    assert.deepEqual(decideRefund({ ...paid, method: 'ORDER_VSPPAY' }, [], { amount: 300 }), { refused: false, amount: 300, feeAmount: 0 }, 'rule 5: query mode refunds');
    assert.deepEqual(decideRefund(paid, [], { refundListTotal: 300 }), { refused: true, refusal: { reason: 'refund_list_not_allowed' } }, 'refundList (1): not for consumption');
    assert.deepEqual(refundRoom({ ...paid, fee: 0 }, [{ amount: 500, fee: 0, state: 'success', reportedAmount: 400 }]), { amount: 600, feeAmount: 0 }, 'a success counts what the platform reported');
    const collection: RefundableFacts = { ...paid, kind: 'agentCollect', fee: 0 };
    assert.deepEqual(decideRefund(collection, [], {}), { refused: false, amount: 1000, feeAmount: 0 });
    assert.deepEqual(decideRefund(collection, [], { amount: 400 }), { refused: true, refusal: { reason: 'refund_list_required' } });
    assert.deepEqual(decideRefund(collection, [], { refundListTotal: 400 }), { refused: false, amount: 400, feeAmount: 0 });
    assert.deepEqual(decideRefund(collection, [{ amount: 400, fee: 0, state: 'success', reportedAmount: null }], {}), { refused: true, refusal: { reason: 'refund_list_required' } }, 'the rest of a shared-out refund is shared out too');
  });
});
