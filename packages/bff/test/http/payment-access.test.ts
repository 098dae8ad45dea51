// A payment is the merchant's order's business: every payment route answers only a request the merchant's resolveOrder
// lets see that order (here: the order's own payer), and to anyone else it is the same 404 as a payment that does not exist.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ResolvedOrder } from '../../src/index.js';
import { addOrder, api, bindPayerPhone, startMerchant, startSandbox, type Merchant, type Sandbox } from './support.js';

let sandbox: Sandbox;
let merchant: Merchant;

before(async () => {
  sandbox = await startSandbox();
  merchant = await startMerchant({
    sandboxUrl: sandbox.url,
    config: { methods: { SCAN_WEIXIN: {}, GATEWAY_VSP: { paytype: 'B2C' }, BALANCE: { accountSetNo: '400193' } } },
    hooks: {
      // As a shop does: an order exists only for the shopper who placed it.
      resolveOrder: (merchantOrderId, req) => {
        const order = merchant.orders.get(merchantOrderId) as ResolvedOrder | undefined;
        return order && order.payer.bizUserId === req.get('x-test-payer') ? order : undefined;
      },
    },
  });
});
after(async () => {
  await merchant?.close();
  await sandbox?.close();
});

describe('payment routes', () => {
  it('answer the order’s payer, and to anyone else (or no one) say the payment does not exist — a stranger’s code takes none of the payer’s tries', { timeout: 60_000 }, async () => {
    const owner = `access-${process.pid}`;
    await bindPayerPhone(merchant, sandbox.url, owner, '13600000301');
    const as = (payer: string | undefined): Record<string, string> => (payer ? { 'x-test-payer': payer } : {});
    const paymentOf = async (method: string) => {
      const order = addOrder(merchant, { payer: { bizUserId: owner } });
      const created = await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method }, headers: as(owner) });
      assert.equal(created.status, 201, created.text);
      return created.body.bizOrderNo as string;
    };
    const sms = await paymentOf('BALANCE');
    const gateway = await paymentOf('GATEWAY_VSP');

    assert.equal((await api(merchant.url, `/api/checkout/payments/${sms}`, { headers: as(owner) })).status, 200);
    for (const stranger of ['someone-else', undefined]) {
      const attempts = [
        await api(merchant.url, `/api/checkout/payments/${sms}`, { headers: as(stranger) }),
        await api(merchant.url, `/api/checkout/payments/${sms}/events`, { headers: as(stranger) }),
        await api(merchant.url, `/api/checkout/payments/${sms}/confirm`, { body: { verificationCode: '123456' }, headers: as(stranger) }),
        await api(merchant.url, `/api/checkout/payments/${sms}/sms`, { method: 'POST', headers: as(stranger) }),
        await api(merchant.url, `/api/checkout/payments/${gateway}/gateway`, { method: 'POST', headers: as(stranger) }),
      ];
      const unknown = await api(merchant.url, `/api/checkout/payments/TSY-NO-SUCH-PAYMENT`, { headers: as(stranger) });
      for (const answer of attempts) {
        assert.equal(answer.status, 404, answer.text);
        assert.deepEqual(answer.body, unknown.body, 'the same answer as for a payment that does not exist');
      }
    }
    // The strangers' wrong codes took none of the payer's five tries.
    const wrong = await api(merchant.url, `/api/checkout/payments/${sms}/confirm`, { body: { verificationCode: '000000' }, headers: as(owner) });
    assert.equal(wrong.status, 422, wrong.text);
    assert.equal(wrong.body.error.details.attemptsLeft, 4);
    // The payer still can.
    const form = await api(merchant.url, `/api/checkout/payments/${gateway}/gateway`, { method: 'POST', headers: as(owner) });
    assert.equal(form.status, 200, form.text);
  });
});
