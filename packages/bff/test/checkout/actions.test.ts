import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKOUT_METHODS, type MethodSettings } from '../../src/config/config.js';
import { actionFor, possibleActions } from '../../src/checkout/actions.js';
import { validateTypeFor } from '../../src/checkout/methods.js';

const settings = (extra: Partial<MethodSettings> = {}): MethodSettings => ({ enabled: true, limitPay: '', usePassword: false, ...extra }) as MethodSettings;
const jsapi = { appId: 'wx1', timeStamp: '1700000000', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'RSA', paySign: 's' };

/** Every shape of verified apply answer a method can give (spec §5.2), as actionFor reads them. */
const ANSWERS = [
  { orderNo: 'O1', payInfo: 'weixin://x', payInfoJson: jsapi, payCode: '123456', weChatAPPInfoJson: { a: 1 } },
  { orderNo: 'O1', payInfo: 'weixin://x', payInfoJson: jsapi, payCode: '123456', validateType: 1 },
] as never[];

describe('possibleActions: what a page must be able to run before it offers a method', () => {
  for (const method of CHECKOUT_METHODS) {
    for (const usePassword of [false, true]) {
      it(`${method}${usePassword ? ' (password page)' : ''}: every action its answers lead to is announced`, () => {
        const validateType = validateTypeFor(method, settings({ usePassword }));
        const announced = possibleActions(method, validateType);
        for (const answer of ANSWERS) {
          const type = actionFor(answer, { method, validateType, payerPhone: '13800138000' }).type;
          assert.ok(announced.includes(type), `${type} not in ${announced.join(', ')}`);
        }
      });
    }
  }
});

describe('the WeChat JSAPI action', () => {
  it('carries exactly the six string fields of getBrandWCPayRequest', () => {
    const action = actionFor({ orderNo: 'O1', payInfoJson: { ...jsapi, extra: 'x' } } as never, { method: 'WECHAT_PUBLIC', validateType: undefined, payerPhone: null });
    assert.deepEqual(action, { type: 'wechat-jsapi', params: jsapi });
  });

  it('refuses an answer without one of them, or with a number for timeStamp, as a malformed answer', () => {
    for (const broken of [{ ...jsapi, paySign: undefined }, { ...jsapi, timeStamp: 1700000000 }, { ...jsapi, package: '' }]) {
      assert.throws(() => actionFor({ orderNo: 'O1', payInfoJson: broken } as never, { method: 'WECHAT_PUBLIC', validateType: undefined, payerPhone: null }), { name: 'YunstFormatError' });
    }
  });
});
