// <tsy-form-post> in Chromium with real GATEWAY_VSP payments of the real stack: the form the BFF signs is posted as it
// is. The test page must stay, so each submit is caught (a `submit` listener that records it and stops the navigation).
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './define.js';
import { CheckoutApi } from '../../api/checkout-api.js';
import type { PaymentView } from '../../api/types.js';
import { createPayment, faultyBff, newOrder, pretendEnvironment } from '../../test-support/stack.js';
import type { TsyFormPost } from './tsy-form-post.js';

interface Submitted {
  action: string;
  method: string;
  target: string;
  fields: [string, string][];
}

async function gatewayPayment(): Promise<PaymentView> {
  pretendEnvironment('desktop');
  const payment = await createPayment(await newOrder(), 'GATEWAY_VSP');
  pretendEnvironment(undefined);
  return payment;
}

/** What the BFF answered to `POST …/gateway`, read off the page's own fetch (passed through unchanged). */
function recordForms(): { forms: { action: string; fields: Record<string, string> }[]; restore: () => void } {
  const forms: { action: string; fields: Record<string, string> }[] = [];
  const original = window.fetch;
  window.fetch = async (input, init) => {
    const response = await original(input, init);
    if (String(input).endsWith('/gateway')) forms.push(await response.clone().json());
    return response;
  };
  return { forms, restore: () => (window.fetch = original) };
}

/** Catches every submit of the element's form (in its shadow root) before the browser navigates. */
function catchSubmits(el: TsyFormPost): Submitted[] {
  const submitted: Submitted[] = [];
  el.shadowRoot!.addEventListener(
    'submit',
    (event) => {
      const form = event.target as HTMLFormElement;
      submitted.push({ action: form.action, method: form.method, target: form.target, fields: [...new FormData(form).entries()] as [string, string][] });
      event.preventDefault();
    },
    true,
  );
  return submitted;
}

function element(payment: PaymentView, api = '/api/checkout'): TsyFormPost {
  const el = document.createElement('tsy-form-post');
  el.locale = 'en';
  el.apiClient = new CheckoutApi(api, () => 'en');
  el.payment = payment;
  return el;
}

describe('<tsy-form-post>', () => {
  let restore = () => {};
  afterEach(() => {
    restore();
    document.querySelectorAll('tsy-form-post, iframe').forEach((node) => node.remove());
  });

  it('posts the freshly signed form unchanged to its action (_self), then offers “continue” if the page stays', async () => {
    const payment = await gatewayPayment();
    expect(payment.action?.type).to.equal('form-post');
    const recorded = recordForms();
    restore = recorded.restore;
    const el = element(payment);
    const before = oneEvent(el, 'tsy-before-redirect');
    document.body.append(el);
    // Listening from the first render on: the submit follows the BFF's answer.
    await el.updateComplete;
    const submitted = catchSubmits(el);
    const { detail } = await before;
    await waitUntil(() => submitted.length === 1, 'submitted', { timeout: 5000 });
    const form = recorded.forms[0]!;
    expect(detail).to.deep.equal({ url: form.action, method: 'POST' });
    expect(submitted[0]!.action).to.equal(form.action);
    expect(submitted[0]!.method).to.equal('post');
    expect(submitted[0]!.target).to.equal('_self');
    expect(Object.fromEntries(submitted[0]!.fields)).to.deep.equal(form.fields);
    expect(submitted[0]!.fields.map(([name]) => name)).to.deep.equal(Object.keys(form.fields));
    // Still here: the button submits the same form by hand.
    await waitUntil(() => el.shadowRoot!.querySelector('[part=continue]'), 'continue button', { timeout: 4000 });
    await expect(el).to.be.accessible();
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part=continue]')!.click();
    expect(submitted).to.have.length(2);
    expect(submitted[1]!.fields).to.deep.equal(submitted[0]!.fields);
  });

  it('inside an iframe the form targets _top', async () => {
    // A shop page framing the checkout: the element is defined by the frame's own module graph (its own registry).
    const frame = await fixture<HTMLIFrameElement>(html`<iframe title="shop" srcdoc=${`<!doctype html><script type="module">import '${new URL('./define.ts', import.meta.url).pathname}';</script>`}></iframe>`);
    await waitUntil(() => frame.contentWindow?.customElements?.get('tsy-form-post'), 'defined in the frame', { timeout: 5000 });
    const el = frame.contentDocument!.createElement('tsy-form-post') as TsyFormPost;
    el.locale = 'en';
    el.payment = await gatewayPayment();
    frame.contentDocument!.body.append(el);
    await el.updateComplete;
    const submitted = catchSubmits(el);
    await waitUntil(() => submitted.length === 1, 'submitted', { timeout: 5000 });
    expect(submitted[0]!.target).to.equal('_top');
  });

  it('a cancelled tsy-before-redirect submits nothing and shows the continue button', async () => {
    const el = element(await gatewayPayment());
    el.addEventListener('tsy-before-redirect', (event) => event.preventDefault());
    document.body.append(el);
    await el.updateComplete;
    const submitted = catchSubmits(el);
    await waitUntil(() => el.status === 'stalled', 'stopped', { timeout: 5000 });
    expect(submitted).to.have.length(0);
    expect(el.shadowRoot!.querySelector('[part=continue]')!.textContent!.trim()).to.equal('Continue to the payment page');
  });

  it('a form without action: tsy-flow-error invalid_action, nothing posted', async () => {
    const el = element(await gatewayPayment(), faultyBff('noaction', { form: 'noaction' }).api);
    const failed = oneEvent(el, 'tsy-flow-error');
    document.body.append(el);
    await el.updateComplete;
    const submitted = catchSubmits(el);
    const { detail } = await failed;
    expect(detail).to.deep.equal({ code: 'invalid_action', message: 'The payment data is incomplete (action). Please choose another method.' });
    expect(el.shadowRoot!.querySelector('form')).to.equal(null);
    expect(submitted).to.have.length(0);
  });
});
