import { formatCstTimestamp, payMethodAmount } from '@tsy/yunst';
import { randomBytes, sign } from 'node:crypto';
import { MINUTE } from '../clock.js';
import { randomDigits } from '../ids.js';
import type { SandboxOrder } from '../state/orders.js';
import { SUCCESS, type ChannelOutcome, type PayMethodBehaviour } from './behaviour.js';
import { prepayId, wechatJsapiPayInfo } from './js-pay.js';
import { inWalletApp } from './scan.js';

/*
 * Methods whose answer is handed to the merchant's own app or mini-program. There is no web flow; "the payer pays" through
 * the simulated wallet page, reached with GET /sandbox/orders/:bizOrderNo/wallet.
 */

const methodAmount = (order: SandboxOrder): number => payMethodAmount(order.primaryMethod, order.payMethod[order.primaryMethod]);

/** WECHATPAY_MINIPROGRAM(_ORG): `wx.requestPayment` parameters, valid 60 minutes (spec §4.2.4 payInfo). */
export const miniProgramPay: PayMethodBehaviour = {
  apply: ({ ctx, order }) => ({ payInfo: wechatJsapiPayInfo(ctx, order) }),
  walletLinkValidityMs: 60 * MINUTE,
  channelDetails: inWalletApp,
};

/**
 * WECHATPAY_APP_OPEN: `weChatAPPInfo` carries `weixinstr`, itself a JSON text (spec §5.13). It is sent as a JSON text too,
 * as the spec's example shows it (the type column says JSONObject; the BFF schema accepts both).
 * Test environment: amount 9 fen succeeds, anything else fails (spec §5.2).
 */
export const wechatAppPay: PayMethodBehaviour = {
  apply: ({ ctx, order }) => {
    const appid = (order.payMethod.WECHATPAY_APP_OPEN as { subAppId: string }).subAppId;
    const fields = {
      appid,
      partnerid: randomDigits(10),
      prepayid: prepayId(ctx.now()),
      package: 'Sign=WXPay',
      noncestr: randomBytes(16).toString('hex'),
      timestamp: String(Math.floor(ctx.now().getTime() / 1000)),
    };
    const source = `${appid}\n${fields.timestamp}\n${fields.noncestr}\n${fields.prepayid}\n`;
    const weixinstr = JSON.stringify({ ...fields, sign: sign('sha256', Buffer.from(source), ctx.config.platformSigningKey.privateKey).toString('base64') });
    return { weChatAPPInfo: JSON.stringify({ weixinstr }) };
  },
  walletOutcome: (order): ChannelOutcome =>
    methodAmount(order) === 9 ? SUCCESS : { payStatus: 'fail', message: '交易失败(测试环境仅金额 9 分交易成功)' },
  channelDetails: inWalletApp,
};

/**
 * ALIPAY_APP_OPEN: the Alipay APP order string, URL-encoded once more — the merchant must decode it once (spec §4.2.4).
 * Test environment: 9 fen success, 7 in progress, 6 failure (spec §5.2); other amounts fail here, like WeChat APP's.
 */
export const alipayAppPay: PayMethodBehaviour = {
  apply: ({ ctx, order }) => {
    const bizContent = JSON.stringify({
      out_trade_no: order.orderNo,
      total_amount: (order.amount / 100).toFixed(2),
      subject: order.goodsName ?? order.summary ?? order.bizOrderNo,
      product_code: 'QUICK_MSECURITY_PAY',
      timeout_express: '1c',
    });
    const params = new URLSearchParams({
      app_id: '2021000000000000',
      biz_content: bizContent,
      charset: 'utf-8',
      format: 'json',
      method: 'alipay.trade.app.pay',
      sign_type: 'RSA2',
      timestamp: formatCstTimestamp(ctx.now()),
      version: '1.0',
    });
    params.append('sign', sign('sha256', Buffer.from(params.toString()), ctx.config.platformSigningKey.privateKey).toString('base64'));
    return { payInfo: encodeURIComponent(params.toString()) };
  },
  walletOutcome: (order): ChannelOutcome => {
    switch (methodAmount(order)) {
      case 9:
        return SUCCESS;
      case 7:
        return { payStatus: 'pending' };
      case 6:
        return { payStatus: 'fail', message: '交易失败(测试金额 6 分)' };
      default:
        return { payStatus: 'fail', message: '交易失败(测试环境金额 9 分成功、7 分处理中、6 分失败)' };
    }
  },
  channelDetails: inWalletApp,
};

/** MOBILEAPPPAY_VSP: only `orderNo`; the merchant app hands it to the bank's app through the VSP SDK. */
export const mobileBankAppPay: PayMethodBehaviour = {
  apply: () => ({}),
  channelDetails: inWalletApp,
};
