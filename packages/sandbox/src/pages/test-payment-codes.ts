import { randomInt } from 'node:crypto';

export type CodeWallet = 'wechat' | 'alipay' | 'unionpay';
/** How the sandbox answers a code (pay-methods/code-pay.ts): paid at once, paid after the payer's password, declined. */
export type CodeOutcome = 'success' | 'pending' | 'fail';

const SHAPE: Record<CodeWallet, { readonly prefixes: readonly string[]; readonly length: number }> = {
  wechat: { prefixes: ['10', '11', '12', '13', '14', '15'], length: 18 },
  alipay: { prefixes: ['25', '26', '27', '28', '29', '30'], length: 18 },
  unionpay: { prefixes: ['62'], length: 19 },
};
const ENDING: Record<CodeOutcome, string> = { success: '', pending: '0000', fail: '9999' };

/**
 * A fresh payment code (付款码) of a wallet, shaped as the wallet shows it, with the ending that makes the sandbox take the
 * outcome asked for. Random each time, as a wallet renews its code each minute (a merchant refuses a code seen before).
 */
export function testPaymentCode(wallet: CodeWallet, outcome: CodeOutcome = 'success'): string {
  const { prefixes, length } = SHAPE[wallet];
  const prefix = prefixes[randomInt(prefixes.length)]!;
  const ending = ENDING[outcome];
  for (;;) {
    let digits = prefix;
    while (digits.length < length - ending.length) digits += String(randomInt(10));
    // A plain success must not end like a special code by chance.
    if (outcome !== 'success' || !/(0000|9999)$/.test(digits)) return digits + ending;
  }
}
