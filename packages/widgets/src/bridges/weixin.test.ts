// The WeChat bridge module in Chromium, with WeixinJSBridge faked as WeChat documents it: injected on `window` (maybe
// after the page loaded, announced by `WeixinJSBridgeReady` on the document), `invoke(name, params, callback)`.
import { expect } from '@open-wc/testing';
import type { WechatJsapiParams } from '../api/types.js';
import { checkWeixinParams, requestWeixinPay, weixinResult } from './weixin.js';

const PARAMS: WechatJsapiParams = { appId: 'wx2421b1c4370ec43b', timeStamp: '1395712654', nonceStr: 'e61463f8efa94090b1f366cccfbbb444', package: 'prepay_id=wx201410272009395522657a690389285100', signType: 'RSA', paySign: 'oR9d8PuhnIc+YZ8cBHFCwfgpaK9gd7vaRvkYD7rthRAZ' };

/** A window of its own per test (an iframe), so no fake bridge outlives its test. */
function freshWindow(): Window {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  return frame.contentWindow!;
}

function fakeBridge(answer: Record<string, string>) {
  const calls: { name: string; params: unknown }[] = [];
  return {
    calls,
    bridge: {
      invoke(name: string, params: unknown, callback: (res: Record<string, string>) => void) {
        calls.push({ name, params });
        setTimeout(() => callback(answer), 0);
      },
    },
  };
}

describe('bridges/weixin', () => {
  afterEach(() => document.querySelectorAll('iframe').forEach((frame) => frame.remove()));

  it('invokes getBrandWCPayRequest with exactly the six strings of the params', async () => {
    const win = freshWindow();
    const fake = fakeBridge({ err_msg: 'get_brand_wcpay_request:ok' });
    (win as Window).WeixinJSBridge = fake.bridge as never;
    const result = await requestWeixinPay({ ...PARAMS }, win, 200);
    expect(result).to.deep.equal({ result: 'ok' });
    expect(fake.calls).to.have.length(1);
    expect(fake.calls[0]!.name).to.equal('getBrandWCPayRequest');
    expect(fake.calls[0]!.params).to.deep.equal(PARAMS);
    expect(Object.keys(fake.calls[0]!.params as object)).to.deep.equal(['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign']);
    expect(typeof (fake.calls[0]!.params as WechatJsapiParams).timeStamp).to.equal('string');
  });

  it('waits for a bridge injected later, announced by WeixinJSBridgeReady', async () => {
    const win = freshWindow();
    const fake = fakeBridge({ err_msg: 'get_brand_wcpay_request:cancel' });
    const pending = requestWeixinPay(PARAMS, win, 3000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.calls).to.have.length(0);
    (win as Window).WeixinJSBridge = fake.bridge as never;
    win.document.dispatchEvent(new Event('WeixinJSBridgeReady'));
    expect(await pending).to.deep.equal({ result: 'cancel' });
    expect(fake.calls).to.have.length(1);
  });

  it('answers missing when no bridge appears within the timeout', async () => {
    const start = Date.now();
    expect(await requestWeixinPay(PARAMS, freshWindow(), 300)).to.deep.equal({ result: 'missing' });
    expect(Date.now() - start).to.be.at.least(290);
  });

  it('maps every err_msg: ok, cancel, fail with err_desc, fail without, and anything else', () => {
    expect(weixinResult({ err_msg: 'get_brand_wcpay_request:ok' })).to.deep.equal({ result: 'ok' });
    expect(weixinResult({ err_msg: 'get_brand_wcpay_request:cancel' })).to.deep.equal({ result: 'cancel' });
    expect(weixinResult({ err_msg: 'get_brand_wcpay_request:fail', err_desc: '当前页面的URL未注册' })).to.deep.equal({ result: 'fail', detail: '当前页面的URL未注册' });
    expect(weixinResult({ err_msg: 'get_brand_wcpay_request:fail' })).to.deep.equal({ result: 'fail', detail: 'get_brand_wcpay_request:fail' });
    expect(weixinResult({ err_msg: 'chooseWXPay:fail' })).to.deep.equal({ result: 'fail', detail: 'chooseWXPay:fail' });
    expect(weixinResult(undefined)).to.deep.equal({ result: 'fail', detail: '' });
  });

  it('checks the params: a missing or empty field is named, numbers are refused', () => {
    expect(checkWeixinParams(PARAMS)).to.deep.equal({ params: PARAMS });
    const { paySign: _, ...noSign } = PARAMS;
    expect(checkWeixinParams(noSign)).to.deep.equal({ missing: 'paySign' });
    expect(checkWeixinParams({ ...PARAMS, timeStamp: 1395712654 })).to.deep.equal({ missing: 'timeStamp' });
    expect(checkWeixinParams(undefined)).to.deep.equal({ missing: 'appId' });
  });
});
