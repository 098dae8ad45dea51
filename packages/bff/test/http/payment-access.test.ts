// A payment is the merchant's order's business: every payment route answers only a request the merchant's resolveOrder
// lets see that order (here: the order's own payer), and to anyone else it is the same 404 as a payment that does not exist.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CheckoutHooks, ResolvedOrder } from '../../src/index.js';
import { SYSID, addOrder, api, bindPayerPhone, startMerchant, startSandbox, testKeys, type Merchant, type Sandbox } from './support.js';

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

describe('the payer resolvePayer names', () => {
  // Every order to every request (resolveOrder lets anyone see it): the payer check alone stands between a leaked
  // bizOrderNo and the payment.
  let open: Merchant;
  const owner = `payer-access-${process.pid}`;
  before(async () => {
    open = await startMerchant({
      sandboxUrl: sandbox.url,
      config: { methods: { SCAN_WEIXIN: {}, GATEWAY_VSP: { paytype: 'B2C' }, BALANCE: { accountSetNo: '400193' } } },
      hooks: {
        resolvePayer: (req) => {
          const bizUserId = req.get('x-test-payer');
          return bizUserId ? { bizUserId } : undefined;
        },
      },
    });
    await bindPayerPhone(open, sandbox.url, owner, '13600000311');
  });
  after(async () => {
    await open?.close();
  });
  const as = (payer: string | undefined): Record<string, string> => (payer ? { 'x-test-payer': payer } : {});

  it('is the only one who starts an attempt of the order: another payer or none get the order’s 404', async () => {
    const order = addOrder(open, { payer: { bizUserId: owner } });
    for (const stranger of ['someone-else', undefined]) {
      const refused = await api(open.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers: { ...as(stranger), 'idempotency-key': `k-${stranger}` } });
      assert.equal(refused.status, 404, refused.text);
      assert.equal(refused.body.error.code, 'not_found');
    }
    assert.equal(await open.router.services.context.store.findOpenPayment(order), undefined, 'nothing was created');
    assert.ok(open.logs.some((line) => line.level === 'warn' && /another payer/.test(line.message)), 'a payer other than the order’s is logged');
    const created = await api(open.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers: as(owner) });
    assert.equal(created.status, 201, created.text);
    // The order itself is resolveOrder's to show; its open attempt (the QR link) only to its payer.
    const seen = await api(open.url, `/api/checkout/orders/${order}`, { headers: as('someone-else') });
    assert.equal(seen.status, 200);
    assert.equal(seen.body.currentPayment, null);
    assert.equal((await api(open.url, `/api/checkout/orders/${order}`, { headers: as(owner) })).body.currentPayment.bizOrderNo, created.body.bizOrderNo);
  });

  it('is the only one every payment route answers: another payer or none get 404, the payer the route’s answer', { timeout: 60_000 }, async () => {
    const paymentOf = async (method: string) => {
      const order = addOrder(open, { payer: { bizUserId: owner } });
      const created = await api(open.url, `/api/checkout/orders/${order}/payments`, { body: { method }, headers: as(owner) });
      assert.equal(created.status, 201, created.text);
      return created.body.bizOrderNo as string;
    };
    const sms = await paymentOf('BALANCE');
    const gateway = await paymentOf('GATEWAY_VSP');
    const events = async (payer: string | undefined) => {
      const controller = new AbortController();
      const response = await fetch(`${open.url}/api/checkout/payments/${sms}/events`, { headers: as(payer), signal: controller.signal });
      const status = response.status;
      controller.abort();
      return status;
    };
    const routes = (payer: string | undefined) => [
      () => api(open.url, `/api/checkout/payments/${sms}`, { headers: as(payer) }),
      async () => ({ status: await events(payer), body: undefined, text: '' }),
      () => api(open.url, `/api/checkout/payments/${sms}/confirm`, { body: { verificationCode: '000000' }, headers: as(payer) }),
      () => api(open.url, `/api/checkout/payments/${sms}/sms`, { body: {}, headers: as(payer) }),
      () => api(open.url, `/api/checkout/payments/${gateway}/gateway`, { body: {}, headers: as(payer) }),
    ];
    const unknown = await api(open.url, '/api/checkout/payments/TSY-NO-SUCH-PAYMENT', { headers: as(owner) });
    for (const stranger of ['someone-else', `${owner}-x`, undefined]) {
      for (const call of routes(stranger)) {
        const answer = await call();
        assert.equal(answer.status, 404, `${stranger}: ${answer.text}`);
        if (answer.body !== undefined) assert.deepEqual(answer.body, unknown.body, 'the same answer as for a payment that does not exist');
      }
    }
    // The payer: the status, the stream, the code step (a wrong code: one try used), the resend (too soon) and the form.
    const [status, stream, confirm, resend, form] = await Promise.all(routes(owner).map((call) => call()));
    assert.equal(status!.status, 200, status!.text);
    assert.equal(stream!.status, 200);
    assert.equal(confirm!.status, 422, confirm!.text);
    assert.equal(confirm!.body.error.details.attemptsLeft, 4, 'the strangers’ codes took none of the payer’s tries');
    assert.notEqual(resend!.status, 404, resend!.text);
    assert.equal(form!.status, 200, form!.text);
    assert.ok(form!.body.fields, 'the signed form');
  });
});

describe('resolvePayer is required', () => {
  it('createCheckoutRouter and createCheckout refuse to start without it', async () => {
    const { createCheckout, createCheckoutRouter } = await import('../../src/index.js');
    const keys = testKeys();
    const config = {
      sysid: SYSID,
      merchantKey: { pfxFile: keys.merchantPfx, password: keys.password },
      platformCertFile: keys.platformCer,
      sandboxUrl: sandbox.url,
      publicBaseUrl: 'http://127.0.0.1:9',
      dataDir: '/nonexistent/never-created',
    };
    const withoutPayer = { resolveOrder: () => undefined } as unknown as CheckoutHooks;
    assert.throws(() => createCheckoutRouter(config, withoutPayer), /resolvePayer required/);
    assert.throws(() => createCheckout(config, withoutPayer, { background: false }), /resolvePayer required/);
    assert.throws(() => createCheckout(config, { resolvePayer: () => undefined } as unknown as CheckoutHooks), /resolveOrder required/);
  });
});
