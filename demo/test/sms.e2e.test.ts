// The balance confirmed by SMS code in the demo shop, end to end in Chromium (browser → BFF → sandbox, started as
// `npm start` does): the code read from the sandbox's SMS inbox, as a shopper reads it there. The sandbox and the BFF share
// one clock, which the tests move forward (a code's 3 minutes, the 60 s resend interval) instead of waiting; a reload
// then shows what the servers' time makes of the payment. Each test is a new shopper (a browser profile of its own).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startDemo, type RunningDemo } from '../server/dev.js';
import { bindPhoneIfAsked, CHECKOUT, chooseMethod, launchChromium, openShop, pressPay, smsCode, watch, type Page, type RunningBrowser } from './support/browser.js';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'tsy-demo-sms-'));
const STEP = `${CHECKOUT} tsy-sms-confirm`;

describe('the balance confirmed by SMS code in the demo shop (Chromium → BFF → sandbox)', () => {
  let demo: RunningDemo;
  let offsetMs = 0;
  const browsers: RunningBrowser[] = [];
  let phones = 0;

  before(async () => {
    demo = await startDemo(demoDir, { demoPort: 0, bffPort: 0, sandboxPort: 0, publicHost: undefined }, () => undefined, {
      dataDir: join(temp, 'data'),
      clock: () => new Date(Date.now() + offsetMs),
    });
  });
  after(async () => {
    for (const browser of browsers) await browser.close();
    await demo?.close();
    rmSync(temp, { recursive: true, force: true });
  });

  /** A new shopper, phone bound, at the SMS step of a balance payment; the code the sandbox sent is in its inbox. */
  async function atSmsStep(): Promise<{ page: Page; phone: string; problems: string[] }> {
    const browser = await launchChromium();
    browsers.push(browser);
    const page = await browser.context.newPage();
    const { problems } = await watch(page);
    const phone = `1390013900${phones++}`;
    await openShop(page, demo.urls.demo);
    await bindPhoneIfAsked(page, demo.urls.sandbox, phone);
    await chooseMethod(page, '账户余额');
    await pressPay(page);
    await page.locator(`${STEP} [part="code-input"]`).waitFor({ timeout: 30_000 });
    return { page, phone, problems };
  }

  /** The payment's code, once the inbox has it (the newest message to the phone: the bind code came before). */
  const codeFor = async (phone: string, not?: string): Promise<string> => {
    for (let i = 0; i < 50; i++) {
      const code = await smsCode(demo.urls.sandbox, phone);
      if (code !== not) return code;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('no new code');
  };
  const wrongFor = (code: string, n = 1) => String((Number(code) + n) % 1_000_000).padStart(6, '0');
  const notice = (page: Page) => page.locator(`${STEP} [part="notice"]`);
  const resendButton = (page: Page) => page.locator(`${STEP} [part="resend-button"]`);
  /** Types a code as the payer (or the phone's autofill) does; the 6th digit submits. */
  async function typeCode(page: Page, code: string): Promise<void> {
    await page.locator(`${STEP} [part="code-input"]`).fill(code);
  }
  /** Moves the servers' clock, then reloads: the checkout resumes the same payment as the servers now see it. */
  async function later(page: Page, ms: number): Promise<void> {
    offsetMs += ms;
    await page.reload();
    await page.locator(`${STEP} [part="code-input"]`).waitFor({ timeout: 30_000 });
  }

  test('the code from the SMS inbox pays: success once the BFF confirms; the inbox is linked beside the checkout', { timeout: 120_000 }, async () => {
    const { page, phone, problems } = await atSmsStep();
    assert.equal(await page.locator('[data-testid="sms-inbox"]').getAttribute('href'), demo.urls.smsInbox);
    assert.equal(await page.locator(`${STEP} [part="sent-to"]`).textContent(), `验证码已发送至 ${phone.slice(0, 3)}****${phone.slice(-4)}`);
    assert.match((await page.locator(`${STEP} [part="confirm-button"]`).textContent()) ?? '', /^确认支付 ¥\d+\.\d\d$/);
    assert.match((await resendButton(page).textContent())?.trim() ?? '', /^重新发送 \((5\d|60)s\)$/);
    await typeCode(page, `验证码 ${await codeFor(phone)}`);
    await page.locator(`${CHECKOUT}[state="success"]`).waitFor({ timeout: 30_000 });
    assert.deepEqual(problems, []);
  });

  test('a wrong code says how many tries are left; five wrong: refused, and a new payment is offered and works', { timeout: 120_000 }, async () => {
    const { page, phone } = await atSmsStep();
    const code = await codeFor(phone);
    await typeCode(page, wrongFor(code));
    await notice(page).filter({ hasText: '验证码错误,还可尝试 4 次' }).waitFor({ timeout: 15_000 });
    assert.equal(await page.locator(`${CHECKOUT}`).getAttribute('state'), 'awaiting', 'the payment goes on');
    for (let i = 2; i <= 4; i++) {
      await typeCode(page, wrongFor(code, i));
      await notice(page).filter({ hasText: `还可尝试 ${5 - i} 次` }).waitFor({ timeout: 15_000 });
    }
    await typeCode(page, wrongFor(code, 5));
    const again = page.locator(`${STEP} [part="new-payment"]`);
    await again.waitFor({ timeout: 15_000 });
    assert.match((await notice(page).textContent()) ?? '', /验证码错误次数过多/);
    // The BFF itself refuses the payment now, even with the right code.
    const refused = await page.evaluate(async (code) => {
      const step = document.querySelector('tsy-checkout')!.shadowRoot!.querySelector('tsy-sms-confirm') as HTMLElement & { payment: { bizOrderNo: string } };
      const answer = await fetch(`/api/checkout/payments/${step.payment.bizOrderNo}/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verificationCode: code }) });
      return { status: answer.status, code: ((await answer.json()) as { error: { code: string } }).error.code };
    }, code);
    assert.deepEqual(refused, { status: 429, code: 'sms_attempts_exhausted' });
    await again.click();
    await page.locator(`${STEP} [part="code-input"]`).waitFor({ timeout: 30_000 });
    await typeCode(page, await codeFor(phone, code));
    await page.locator(`${CHECKOUT}[state="success"]`).waitFor({ timeout: 30_000 });
  });

  test('resend too early (another tab asked first): the countdown follows the BFF’s Retry-After; the resent code pays', { timeout: 120_000 }, async () => {
    const { page, phone } = await atSmsStep();
    await later(page, 61_000);
    assert.equal(await resendButton(page).isEnabled(), true, 'the interval has passed');
    // Another tab of the same shopper asks for a code first.
    const other = await page.evaluate(async () => {
      const step = document.querySelector('tsy-checkout')!.shadowRoot!.querySelector('tsy-sms-confirm') as HTMLElement & { payment: { bizOrderNo: string } };
      return (await fetch(`/api/checkout/payments/${step.payment.bizOrderNo}/sms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status;
    });
    assert.equal(other, 200);
    const refusal = page.waitForResponse((response) => response.url().endsWith('/sms') && response.request().method() === 'POST');
    await resendButton(page).click();
    const answer = await refusal;
    assert.equal(answer.status(), 429);
    const retryAfter = Number(answer.headers()['retry-after']);
    assert.ok(retryAfter >= 59 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    await resendButton(page).and(page.locator(':disabled')).waitFor({ timeout: 5_000 });
    const label = (await resendButton(page).textContent())?.trim() ?? '';
    const shown = Number(/\((\d+)s\)/.exec(label)?.[1]);
    assert.ok(Math.abs(shown - retryAfter) <= 1, `the countdown (${label}) follows Retry-After ${retryAfter}`);
    // The code the other tab had sent again pays.
    await typeCode(page, await codeFor(phone));
    await page.locator(`${CHECKOUT}[state="success"]`).waitFor({ timeout: 30_000 });
  });

  test('an expired code asks for a new one; the resent (new) code pays', { timeout: 120_000 }, async () => {
    const { page, phone } = await atSmsStep();
    const old = await codeFor(phone);
    await later(page, 3 * 60_000);
    await typeCode(page, old);
    await notice(page).filter({ hasText: '验证码已过期' }).waitFor({ timeout: 15_000 });
    await resendButton(page).click();
    await resendButton(page).and(page.locator(':disabled')).waitFor({ timeout: 15_000 });
    const fresh = await codeFor(phone, old);
    assert.notEqual(fresh, old);
    await typeCode(page, fresh);
    await page.locator(`${CHECKOUT}[state="success"]`).waitFor({ timeout: 30_000 });
  });
});
