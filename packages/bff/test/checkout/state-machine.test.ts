import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideTransition, settlementOf } from '../../src/payments/settlement.js';
import { PAYMENT_STATES, nextState, type PaymentFact, type PaymentState } from '../../src/payments/state-machine.js';

/** Every fact production emits, from every source that emits it (state-machine.ts `PaymentFact`). */
const FACTS: Record<PaymentFact['type'], PaymentFact[]> = {
  accepted: [
    { type: 'accepted', source: 'apply' },
    { type: 'accepted', source: 'reconciliation' },
  ],
  succeeded: (['apply', 'pay', 'notification', 'return', 'reconciliation'] as const).map((source) => ({ type: 'succeeded', source })),
  failed: (['apply', 'pay', 'reconciliation'] as const).map((source) => ({ type: 'failed', source, message: 'x' })),
  expired: [
    { type: 'expired', source: 'clock' },
    { type: 'expired', source: 'reconciliation' },
  ],
  closed: [{ type: 'closed', source: 'reconciliation' }],
};

/**
 * shared/design/flows.md, state by state ('—': the fact changes nothing). created → pending on the apply's answer; a verified
 * success beats failed, expired and closed (money moved); success is final; the platform may still close an expired order
 * (it batch-closes unpaid orders after 24 h, spec §6.9); a created payment whose apply answer never came learns any outcome
 * from reconciliation.
 */
const EXPECTED: Record<PaymentState, Record<PaymentFact['type'], PaymentState | '—'>> = {
  created: { accepted: 'pending', succeeded: 'success', failed: 'failed', expired: 'expired', closed: 'closed' },
  pending: { accepted: '—', succeeded: 'success', failed: 'failed', expired: 'expired', closed: 'closed' },
  success: { accepted: '—', succeeded: '—', failed: '—', expired: '—', closed: '—' },
  failed: { accepted: '—', succeeded: 'success', failed: '—', expired: '—', closed: '—' },
  expired: { accepted: '—', succeeded: 'success', failed: '—', expired: '—', closed: 'closed' },
  closed: { accepted: '—', succeeded: 'success', failed: '—', expired: '—', closed: '—' },
};

describe('payment state machine (flows.md)', () => {
  for (const state of PAYMENT_STATES) {
    for (const [type, facts] of Object.entries(FACTS)) {
      const expected = EXPECTED[state][type as PaymentFact['type']];
      it(`${state} + ${type} → ${expected}`, () => {
        for (const fact of facts) assert.equal(nextState(state, fact) ?? '—', expected, `source ${fact.source}`);
      });
    }
  }

  it('the same fact twice changes nothing the second time', () => {
    for (const state of PAYMENT_STATES) {
      for (const fact of Object.values(FACTS).flat()) {
        const once = nextState(state, fact);
        if (once !== undefined) assert.equal(nextState(once, fact), undefined, `${state} + ${fact.type} twice`);
      }
    }
  });
});

describe('settlement rules (what a success does to its merchant order)', () => {
  const payment = { bizOrderNo: 'P1', state: 'pending' as const, amount: 1234 };
  const unpaid = { amount: 1234, paidBizOrderNo: null };
  const success = (amount?: number): PaymentFact => ({ type: 'succeeded', source: 'notification', ...(amount === undefined ? {} : { amount }) });

  it('a success for the payment’s amount on an unpaid order that still costs it pays the order', () => {
    const decision = decideTransition(payment, unpaid, success(1234))!;
    assert.deepEqual([decision.state, decision.settlement, decision.paysOrder], ['success', 'paid', true]);
    assert.deepEqual(decision.events.map((e) => [e.type, e.settlement]), [['payment.succeeded', 'paid']]);
  });

  it('a success without a reported amount (an apply or pay answer) is judged by the order alone', () => {
    assert.equal(decideTransition(payment, unpaid, success())!.settlement, 'paid');
  });

  it('an order another payment already paid: double_paid, with a refund event, and the order keeps its payment', () => {
    const decision = decideTransition(payment, { amount: 1234, paidBizOrderNo: 'P0' }, success(1234))!;
    assert.deepEqual([decision.settlement, decision.paysOrder], ['double_paid', false]);
    assert.deepEqual(decision.events.map((e) => e.type), ['payment.succeeded', 'payment.double_paid']);
    assert.match(decision.events[1]!.message!, /P0/);
  });

  it('an order re-priced since: amount_mismatch', () => {
    const decision = decideTransition(payment, { amount: 999, paidBizOrderNo: null }, success(1234))!;
    assert.deepEqual([decision.settlement, decision.paysOrder], ['amount_mismatch', false]);
    assert.deepEqual(decision.events.map((e) => e.type), ['payment.succeeded', 'payment.amount_mismatch']);
  });

  it('the platform reports another amount: amount_differs, the reported amount kept — even on an unpaid order', () => {
    const decision = decideTransition(payment, unpaid, success(1))!;
    assert.deepEqual([decision.settlement, decision.paysOrder, decision.reportedAmount], ['amount_differs', false, 1]);
    assert.deepEqual(decision.events.map((e) => e.type), ['payment.succeeded', 'payment.amount_differs']);
    assert.match(decision.events[1]!.message!, /1 fen.*1234 fen/);
  });

  it('a different amount is reported before a double payment (the money to refund is what moved)', () => {
    assert.equal(settlementOf(payment, { amount: 1234, paidBizOrderNo: 'P0' }, 5).settlement, 'amount_differs');
  });

  it('a failure records its code and message; a fact that changes nothing decides nothing', () => {
    const failed = decideTransition(payment, unpaid, { type: 'failed', source: 'pay', message: '' })!;
    assert.deepEqual(failed.failure, { code: '40006', message: '支付失败' });
    assert.equal(failed.settlement, undefined);
    assert.equal(decideTransition({ ...payment, state: 'success' }, unpaid, success(1234)), undefined);
  });
});
