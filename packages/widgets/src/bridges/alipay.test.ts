// The Alipay bridge module in Chromium, with AlipayJSBridge faked as Alipay documents it: `window.AlipayJSBridge` (maybe
// after `AlipayJSBridgeReady` on the document), `call('tradePay', {tradeNO}, callback)` answering `{resultCode}`.
import { expect } from '@open-wc/testing';
import { alipayResult, requestAlipayPay } from './alipay.js';

function freshWindow(): Window {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  return frame.contentWindow!;
}

function fakeBridge(resultCode: string) {
  const calls: { name: string; params: unknown }[] = [];
  return {
    calls,
    bridge: {
      call(name: string, params: unknown, callback: (result: { resultCode: string }) => void) {
        calls.push({ name, params });
        setTimeout(() => callback({ resultCode }), 0);
      },
    },
  };
}

describe('bridges/alipay', () => {
  afterEach(() => document.querySelectorAll('iframe').forEach((frame) => frame.remove()));

  it('calls tradePay with exactly {tradeNO}', async () => {
    const win = freshWindow();
    const fake = fakeBridge('9000');
    win.AlipayJSBridge = fake.bridge as never;
    expect(await requestAlipayPay('2026120122001400001', win, 200)).to.deep.equal({ result: 'confirming', resultCode: '9000' });
    expect(fake.calls).to.deep.equal([{ name: 'tradePay', params: { tradeNO: '2026120122001400001' } }]);
  });

  it('waits for a bridge injected later, announced by AlipayJSBridgeReady', async () => {
    const win = freshWindow();
    const fake = fakeBridge('6001');
    const pending = requestAlipayPay('T1', win, 3000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    win.AlipayJSBridge = fake.bridge as never;
    win.document.dispatchEvent(new Event('AlipayJSBridgeReady'));
    expect(await pending).to.deep.equal({ result: 'cancel', resultCode: '6001' });
    expect(fake.calls).to.have.length(1);
  });

  it('answers missing when no bridge appears within the timeout', async () => {
    expect(await requestAlipayPay('T1', freshWindow(), 300)).to.deep.equal({ result: 'missing' });
  });

  it('maps every resultCode: 9000, 8000 and 6004 confirm; 6001 cancel; 6002 network; 4000 and others fail', () => {
    expect(alipayResult({ resultCode: '9000' }).result).to.equal('confirming');
    expect(alipayResult({ resultCode: '8000' }).result).to.equal('confirming');
    expect(alipayResult({ resultCode: '6004' }).result).to.equal('confirming');
    expect(alipayResult({ resultCode: '6001' }).result).to.equal('cancel');
    expect(alipayResult({ resultCode: '6002' }).result).to.equal('network');
    expect(alipayResult({ resultCode: '4000', memo: '订单支付失败' })).to.deep.equal({ result: 'fail', resultCode: '4000', detail: '订单支付失败' });
    expect(alipayResult({ resultCode: '7001' })).to.deep.equal({ result: 'fail', resultCode: '7001', detail: '' });
    expect(alipayResult(undefined)).to.deep.equal({ result: 'fail', resultCode: '', detail: '' });
  });
});
