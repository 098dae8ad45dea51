import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PAYMENT_STATES, nextState, type PaymentFact, type PaymentState } from '../../src/payments/state-machine.js';

const succeeded: PaymentFact = { type: 'succeeded', source: 'notification' };
const failed: PaymentFact = { type: 'failed', source: 'pay', message: 'x' };
const expired: PaymentFact = { type: 'expired', source: 'clock' };
const closed: PaymentFact = { type: 'closed', source: 'reconciliation' };
const accepted: PaymentFact = { type: 'accepted', source: 'apply' };

describe('payment state machine (flows.md)', () => {
  it('follows the drawn edges', () => {
    assert.equal(nextState('created', accepted), 'pending');
    assert.equal(nextState('created', failed), 'failed');
    assert.equal(nextState('pending', succeeded), 'success');
    assert.equal(nextState('pending', failed), 'failed');
    assert.equal(nextState('pending', expired), 'expired');
    assert.equal(nextState('pending', closed), 'closed');
  });

  it('a verified success beats expired and closed (money moved)', () => {
    assert.equal(nextState('expired', succeeded), 'success');
    assert.equal(nextState('closed', succeeded), 'success');
  });

  it('success is final: nothing moves it', () => {
    for (const fact of [accepted, succeeded, failed, expired, closed]) assert.equal(nextState('success', fact), undefined);
  });

  it('failed is final for its bizOrderNo — except against a verified success (money moved)', () => {
    for (const fact of [accepted, failed, expired, closed]) assert.equal(nextState('failed', fact), undefined);
    assert.equal(nextState('failed', succeeded), 'success');
  });

  it('the same fact twice changes nothing the second time', () => {
    const facts = [accepted, succeeded, failed, expired, closed];
    for (const state of PAYMENT_STATES) {
      for (const fact of facts) {
        const once = nextState(state, fact);
        if (once !== undefined) assert.equal(nextState(once, fact), undefined, `${state} + ${fact.type} twice`);
      }
    }
  });

  it('late and out-of-order facts do not go backwards', () => {
    const order: Record<PaymentState, number> = { created: 0, pending: 1, expired: 2, closed: 3, failed: 4, success: 4 };
    for (const state of PAYMENT_STATES) {
      for (const fact of [accepted, expired, closed]) {
        const next = nextState(state, fact);
        if (next !== undefined) assert.ok(order[next] > order[state], `${state} → ${next}`);
      }
    }
  });
});
