// The BFF when things go wrong: restarts, an unreachable, slow or garbled platform — and reconciliation putting it right.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  NO_RECONCILIATION,
  addOrder,
  api,
  bindPayerPhone,
  cleanup,
  eventually,
  readStateEvents,
  startLink,
  startMerchant,
  startSandbox,
  tempDir,
  walletAction,
  walletUrlOf,
  type RunningSandbox,
} from '../src/harness.js';

let sandbox: RunningSandbox;
const dirs: string[] = [];
const freshDir = () => {
  const dir = tempDir('tsy-e2e-resilience-');
  dirs.push(dir);
  return dir;
};

before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  await sandbox.close();
  dirs.forEach(cleanup);
});

describe('resilience', () => {
  it('a BFF restarted mid-payment keeps its state, and the later notification still applies', async () => {
    const dataDir = freshDir();
    const server = createServer();
    const quiet = { reconciliation: NO_RECONCILIATION };
    let merchant = await startMerchant({ sandboxUrl: sandbox.url, dataDir, server, config: quiet });
    await bindPayerPhone(merchant.url, sandbox.url, `restart-${process.pid}`, '13500000001');
    const order = addOrder(merchant, `restart-${process.pid}`, 777);
    const created = await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' } });
    assert.equal(created.status, 201);

    // Stop the checkout (store closed, loops stopped) but keep the port, so the sandbox's notification finds the new one.
    await merchant.router.close();
    const orders = merchant.orders;
    merchant = await startMerchant({ sandboxUrl: sandbox.url, dataDir, server, config: quiet });
    for (const [id, resolved] of orders) merchant.orders.set(id, resolved);

    const resumed = await api(merchant.url, `/api/checkout/orders/${order}`);
    assert.equal(resumed.body.currentPayment.bizOrderNo, created.body.bizOrderNo);
    assert.equal(resumed.body.currentPayment.state, 'pending');

    await walletAction(created.body.action.payInfo, 'pay');
    const paid = await eventually(async () => {
      const view = await api(merchant.url, `/api/checkout/payments/${created.body.bizOrderNo}`);
      return view.body.state === 'success' ? view.body : undefined;
    });
    assert.equal(paid.amount, 777);
    const events = await merchant.router.services.context.store.listPaymentEvents(created.body.bizOrderNo, 0);
    assert.equal(events.at(-1)!.source, 'notification');
    await merchant.close();
  });

  it('an unreachable platform is a clear 502; the payment stays pending; reconciliation later learns it never arrived', async () => {
    const link = await startLink(sandbox.url);
    const merchant = await startMerchant({
      sandboxUrl: link.url,
      dataDir: freshDir(),
      config: { reconciliation: { afterSeconds: 3600, intervalSeconds: 3600, onDemandSeconds: 0, unknownOrderGraceSeconds: 0 } },
    });
    await bindPayerPhone(merchant.url, sandbox.url, `down-${process.pid}`, '13500000002');
    const order = addOrder(merchant, `down-${process.pid}`);
    link.mode = 'down';
    const refused = await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' } });
    assert.equal(refused.status, 502);
    assert.equal(refused.body.error.code, 'yunst.unavailable');
    const { bizOrderNo } = refused.body.error;
    assert.ok(bizOrderNo, 'the answer names the stored attempt');
    assert.equal((await merchant.router.services.context.store.getPayment(bizOrderNo))!.state, 'created', 'stored before the platform was called');

    link.mode = 'pass';
    const view = await api(merchant.url, `/api/checkout/payments/${bizOrderNo}`);
    assert.equal(view.body.state, 'failed', 'getOrderDetail said 40000: the order never reached the platform');
    await merchant.close();
    await link.close();
  });

  for (const mode of ['slow', 'garbage'] as const) {
    it(`a ${mode} platform answer is a clear ${mode === 'slow' ? 504 : 502}; reconciliation recovers the order the platform did create`, async () => {
      const link = await startLink(sandbox.url);
      link.slowMs = 800;
      const merchant = await startMerchant({
        sandboxUrl: link.url,
        dataDir: freshDir(),
        config: { timeoutMs: 300, reconciliation: { afterSeconds: 0, intervalSeconds: 0.1, onDemandSeconds: 0, unknownOrderGraceSeconds: 60 } },
      });
      await bindPayerPhone(merchant.url, sandbox.url, `${mode}-${process.pid}`, mode === 'slow' ? '13500000003' : '13500000004');
      const order = addOrder(merchant, `${mode}-${process.pid}`, 4200);
      link.mode = mode;
      const answer = await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' } });
      assert.equal(answer.status, mode === 'slow' ? 504 : 502);
      assert.equal(answer.body.error.code, mode === 'slow' ? 'yunst.timeout' : 'yunst.bad_answer');
      const { bizOrderNo } = answer.body.error;
      assert.equal((await api(merchant.url, `/api/checkout/payments/${bizOrderNo}`)).body.state, 'pending');

      link.mode = 'pass';
      // The order exists at the platform; the payer pays it there (e.g. a QR shown before the answer got lost).
      await walletAction(await walletUrlOf(sandbox.url, bizOrderNo), 'pay');
      const recovered = await eventually(async () => {
        const payment = await merchant.router.services.context.store.getPayment(bizOrderNo);
        return payment?.state === 'success' ? payment : undefined;
      });
      assert.equal(recovered.amount, 4200);
      await merchant.close();
      await link.close();
    });
  }

  it('the apply answer is kept when a status check got there first (a page load during a slow create)', async () => {
    const link = await startLink(sandbox.url);
    link.mode = 'slow';
    link.slowMs = 800;
    link.slowWhen = (body) => body.includes('consumeApply');
    const merchant = await startMerchant({ sandboxUrl: link.url, dataDir: freshDir(), config: { timeoutMs: 3000, reconciliation: { afterSeconds: 3600, intervalSeconds: 3600, onDemandSeconds: 0 } } });
    await bindPayerPhone(merchant.url, sandbox.url, `race-${process.pid}`, '13500000007');
    const order = addOrder(merchant, `race-${process.pid}`);
    const creating = api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await api(merchant.url, `/api/checkout/orders/${order}`); // asks the platform about the still-answering payment
    const created = await creating;
    assert.equal(created.status, 201);
    assert.equal(created.body.action?.type, 'qr');
    const stored = (await merchant.router.services.context.store.getPayment(created.body.bizOrderNo))!;
    assert.ok(stored.action && stored.responseRaw && stored.orderNo);
    await merchant.close();
    await link.close();
  });

  it('a client watching the SSE stream learns of an un-notified failure without asking', async () => {
    const merchant = await startMerchant({ sandboxUrl: sandbox.url, dataDir: freshDir(), config: { reconciliation: { afterSeconds: 3600, intervalSeconds: 3600, onDemandSeconds: 0 } } });
    await bindPayerPhone(merchant.url, sandbox.url, `watch-${process.pid}`, '13500000006');
    const created = await api(merchant.url, `/api/checkout/orders/${addOrder(merchant, `watch-${process.pid}`)}/payments`, { body: { method: 'SCAN_WEIXIN' } });
    const stream = readStateEvents(`${merchant.url}/api/checkout/payments/${created.body.bizOrderNo}/events`, (data) => data.state === 'failed', {}, 8000);
    await walletAction(created.body.action.payInfo, 'fail');
    const received = await stream;
    assert.equal(received.at(-1)!.data.state, 'failed');
    await merchant.close();
  });

  it('the background sweep brings an open payment up to date without anyone asking', async () => {
    const merchant = await startMerchant({ sandboxUrl: sandbox.url, dataDir: freshDir(), config: { reconciliation: { afterSeconds: 0, intervalSeconds: 0.1, onDemandSeconds: 3600 } } });
    await bindPayerPhone(merchant.url, sandbox.url, `sweep-${process.pid}`, '13500000005');
    const created = await api(merchant.url, `/api/checkout/orders/${addOrder(merchant, `sweep-${process.pid}`)}/payments`, { body: { method: 'SCAN_WEIXIN' } });
    await walletAction(created.body.action.payInfo, 'fail');
    const failed = await eventually(async () => {
      const payment = await merchant.router.services.context.store.getPayment(created.body.bizOrderNo);
      return payment?.state === 'failed' ? payment : undefined;
    });
    assert.ok(failed.failureMessage);
    await merchant.close();
  });
});
