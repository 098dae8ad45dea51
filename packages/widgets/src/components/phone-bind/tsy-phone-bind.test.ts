// <tsy-phone-bind> in Chromium against the real stack: the code really goes through the sandbox's SMS inbox.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './define.js';
import type { TsyPhoneBind } from './tsy-phone-bind.js';

async function shopperWithoutPhone(): Promise<void> {
  await fetch('/__stack/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: false }) });
}

const part = <T extends Element>(el: TsyPhoneBind, name: string) => el.shadowRoot!.querySelector<T>(`[part=${name}]`)!;

describe('<tsy-phone-bind>', () => {
  it('sends a code, counts down the resend, and binds with the code from the SMS', async () => {
    await shopperWithoutPhone();
    const el = await fixture<TsyPhoneBind>(html`<tsy-phone-bind api="/api/checkout" locale="en"></tsy-phone-bind>`);
    const phone = `1360000${String(Date.now() % 10000).padStart(4, '0')}`;
    part<HTMLInputElement>(el, 'phone-input').value = phone;
    expect(part<HTMLButtonElement>(el, 'bind-button').disabled).to.equal(true, 'nothing to bind before a code was sent');
    part<HTMLButtonElement>(el, 'send-button').click();
    await waitUntil(() => part<HTMLButtonElement>(el, 'send-button').textContent!.includes('Resend in'), 'resend countdown', { timeout: 5000 });
    expect(part<HTMLButtonElement>(el, 'send-button').disabled).to.equal(true);
    const { code } = (await (await fetch(`/__stack/sms?phone=${phone}`)).json()) as { code: string };
    part<HTMLInputElement>(el, 'code-input').value = code;
    const bound = oneEvent(el, 'tsy-phone-bound');
    part<HTMLButtonElement>(el, 'bind-button').click();
    await bound;
  });

  it('a wrong code shows the platform’s reason and lets the payer try again', async () => {
    await shopperWithoutPhone();
    const el = await fixture<TsyPhoneBind>(html`<tsy-phone-bind api="/api/checkout" locale="en"></tsy-phone-bind>`);
    const phone = `1350000${String(Date.now() % 10000).padStart(4, '0')}`;
    part<HTMLInputElement>(el, 'phone-input').value = phone;
    part<HTMLButtonElement>(el, 'send-button').click();
    await waitUntil(() => !part<HTMLButtonElement>(el, 'bind-button').disabled, 'code sent', { timeout: 5000 });
    const { code } = (await (await fetch(`/__stack/sms?phone=${phone}`)).json()) as { code: string };
    part<HTMLInputElement>(el, 'code-input').value = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    part<HTMLButtonElement>(el, 'bind-button').click();
    await waitUntil(() => el.shadowRoot!.querySelector('[role=status]')?.textContent?.includes('verification code'), 'error shown', { timeout: 5000 });
    expect(part<HTMLButtonElement>(el, 'bind-button').disabled).to.equal(false);
  });

  for (const locale of ['zh-CN', 'en']) {
    for (const theme of ['light', 'dark']) {
      it(`is accessible (${locale}, ${theme})`, async () => {
        const el = await fixture<TsyPhoneBind>(html`<tsy-phone-bind locale=${locale} theme=${theme}></tsy-phone-bind>`);
        await expect(el).to.be.accessible();
      });
    }
  }
});
