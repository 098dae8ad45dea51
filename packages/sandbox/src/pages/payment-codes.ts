import express from 'express';
import type { SandboxContext } from '../context.js';
import { code128Svg, qrSvg } from './barcodes.js';
import { html, sendPage } from './html.js';
import { testPaymentCode, type CodeOutcome, type CodeWallet } from './test-payment-codes.js';

const WALLETS: readonly { readonly wallet: CodeWallet; readonly name: string }[] = [
  { wallet: 'wechat', name: '微信 WeChat' },
  { wallet: 'alipay', name: '支付宝 Alipay' },
  { wallet: 'unionpay', name: '云闪付 UnionPay' },
];
const OUTCOMES: Record<CodeOutcome, string> = {
  success: '直接成功 / Pays at once',
  pending: '付款人输入密码后成功 / Payer enters a password, then paid',
  fail: '支付失败 / Declined',
};

const CODE_STYLE = `svg.qr{display:block;width:220px;height:220px;margin:8px auto}svg.code128{display:block;width:100%;max-width:420px;height:auto;margin:8px auto}
.digits{font:600 20px/1.4 ui-monospace,Menlo,monospace;text-align:center;letter-spacing:1px}nav a{margin-right:12px}`;

/**
 * The payer's side of CODEPAY_VSP (被扫): the payment codes (付款码) a wallet would show, to scan from another screen or a
 * phone with the merchant's cashier page — a QR and a Code 128 of each code, new codes on every visit. `?wallet=` shows
 * one wallet, `?outcome=pending` the code the payer confirms with a password first (…0000), `fail` one that is declined.
 */
export function paymentCodesRouter(_ctx: SandboxContext): express.Router {
  const router = express.Router();
  router.get('/sandbox/payment-codes', async (req, res, next) => {
    try {
      const wallets = WALLETS.filter((w) => req.query.wallet === undefined || req.query.wallet === w.wallet);
      const outcomes = (Object.keys(OUTCOMES) as CodeOutcome[]).filter((o) => (req.query.outcome === undefined ? o !== 'fail' : req.query.outcome === o));
      const codes = wallets.flatMap((w) => outcomes.map((outcome) => ({ ...w, outcome, code: testPaymentCode(w.wallet, outcome) })));
      if (req.query.format === 'json') return void res.set('Cache-Control', 'no-store').json(codes.map(({ wallet, outcome, code }) => ({ wallet, outcome, code })));
      const cards = await Promise.all(
        codes.map(
          async (c) => html`<section class="card"><div class="brand ${c.wallet}">${c.name} · 付款码 (sandbox)</div>
<p class="muted">${OUTCOMES[c.outcome]}</p>${await qrSvg(c.code)}${code128Svg(c.code)}<p class="digits">${c.code.replace(/(\d{4})(?=\d)/g, '$1 ')}</p></section>`,
        ),
      );
      sendPage(res, {
        title: '付款码 / Payment codes',
        body: html`<h1>测试付款码 / Test payment codes <span class="muted">(sandbox)</span></h1>
<p class="muted">用收银台扫描,或输入数字。每次打开都是新的付款码,每个只能用一次。 / Scan one with the cashier page or type its digits. Every visit shows new codes; each pays once.</p>
<nav class="card"><a href="/sandbox/payment-codes">全部 / All</a>${WALLETS.map((w) => html`<a href="/sandbox/payment-codes?wallet=${w.wallet}">${w.name}</a>`)}<a href="/sandbox/payment-codes?outcome=fail">失败 / Declined</a></nav>
${cards}<p><a class="button" href="${req.originalUrl}">换一批 / New codes</a></p>`,
        extraStyle: CODE_STYLE,
      });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
