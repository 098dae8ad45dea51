// Cross-site requests and strangers, tried as an attacker would over real HTTP against a real stack (sandbox, BFF, SQLite):
// every state-changing route with every content type a page can send without a preflight and every origin that is not
// the shop's; CORS preflights from foreign origins; every payment route asked by someone who is not its payer. Each
// section counts what got through (must be 0), what changed (must be 0), and a control of allowed requests (must be
// non-zero, so a check that refuses everything, or a counter that never counts, cannot pass).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NO_RECONCILIATION, bindPhone, startCheckoutStack, startMerchant, type CheckoutStack, type RunningMerchant } from '@tsy/testing';
import { cleanup, tempDir } from '../src/harness.js';
import { tally } from '../src/tally.js';

const SHOP = 'https://shop.example';
const CORS_PAGE = 'https://pages.shop.example';
const owner = `csrf-owner-${process.pid}`;
const binder = `csrf-binder-${process.pid}`;
const OWNER_PHONE = '13900000501';
const BINDER_PHONE = '13900000502';

let stack: CheckoutStack;
/** The same shop without allowedOrigins or cors: CORS off. */
let plain: RunningMerchant;
const plainDir = tempDir('tsy-e2e-csrf-plain-');
let smsPayment: string;
let gatewayPayment: string;
/** An order of the owner nobody has started a payment of: a create that gets through starts one. */
let spareOrder: string;

before(async () => {
  stack = await startCheckoutStack({
    methods: { SCAN_WEIXIN: {}, BALANCE: { accountSetNo: '400193' }, GATEWAY_VSP: { paytype: 'B2C' } },
    reconciliation: NO_RECONCILIATION,
    config: { allowedOrigins: [SHOP], cors: { origins: [CORS_PAGE], credentials: true } },
    // As a shop's session does: the payer is who the request says (here a header), never inferred from the order.
    hooks: {
      resolvePayer: (req) => {
        const bizUserId = req.get('x-test-payer');
        return bizUserId ? { bizUserId } : undefined;
      },
    },
  });
  plain = await startMerchant({ sandboxUrl: stack.sandbox.url, soaUrl: stack.sandbox.soaUrl, dataDir: plainDir, reconciliation: NO_RECONCILIATION });
  await bindPhone(stack.merchant.url, stack.sandbox.url, OWNER_PHONE, { 'x-test-payer': owner });
  const order = (id: string) => {
    stack.merchant.orders.set(id, { amount: 1500, subject: 'csrf', payer: { bizUserId: owner } });
    return id;
  };
  const start = async (id: string, method: string) => {
    const response = await post(stack.merchant, `/api/checkout/orders/${order(id)}/payments`, { 'content-type': 'application/json', 'x-test-payer': owner }, JSON.stringify({ method }));
    assert.equal(response.status, 201, response.text);
    return JSON.parse(response.text).bizOrderNo as string;
  };
  smsPayment = await start(`SO-CSRF-SMS-${process.pid}`, 'BALANCE');
  gatewayPayment = await start(`SO-CSRF-GW-${process.pid}`, 'GATEWAY_VSP');
  spareOrder = order(`SO-CSRF-SPARE-${process.pid}`);
});
after(async () => {
  await plain?.close();
  await stack?.close();
  cleanup(plainDir);
});

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
}

async function post(merchant: RunningMerchant, path: string, headers: Record<string, string>, body: string): Promise<Answer> {
  const response = await fetch(merchant.url + path, { method: 'POST', headers: { 'accept-language': 'en', ...headers }, body });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

const errorCode = (answer: Answer): string | undefined => {
  try {
    return (JSON.parse(answer.text) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
};

/** Everything a state-changing call could change: the payments (attempts, codes sent, actions), the spare order, the phones. */
async function snapshot(): Promise<string> {
  const store = stack.merchant.router.services.context.store;
  const payments = await Promise.all([smsPayment, gatewayPayment].map((id) => store.getPayment(id)));
  const spare = await store.findOpenPayment(spareOrder);
  const members = await Promise.all([owner, binder].map((id) => store.getMember(id)));
  const inbox = (await (await fetch(`${stack.sandbox.url}/sandbox/sms?format=json`)).json()) as unknown[];
  return JSON.stringify({ payments, spare: spare?.bizOrderNo ?? null, members, sms: inbox.length });
}

/** Every state-changing browser route, with the JSON body it takes and the payer it needs. */
const ROUTES = () => [
  { path: `/api/checkout/orders/${spareOrder}/payments`, body: { method: 'SCAN_WEIXIN' }, payer: owner },
  { path: `/api/checkout/payments/${smsPayment}/confirm`, body: { verificationCode: '000000' }, payer: owner },
  { path: `/api/checkout/payments/${smsPayment}/sms`, body: {}, payer: owner },
  { path: `/api/checkout/payments/${gatewayPayment}/gateway`, body: {}, payer: owner },
  { path: '/api/checkout/payer/phone/code', body: { phone: BINDER_PHONE }, payer: binder },
  { path: '/api/checkout/payer/phone', body: { phone: BINDER_PHONE, verificationCode: '123456' }, payer: binder },
];

const form = (body: Record<string, string>) => new URLSearchParams(body).toString();

/** What a page of another site can send without a preflight, or from an origin that is not the shop's. */
function attacks(body: Record<string, string>): { name: string; headers: Record<string, string>; body: string }[] {
  const json = JSON.stringify(body);
  const fromShop = { origin: SHOP };
  const contentTypes: [string, Record<string, string>, string][] = [
    ['form', { 'content-type': 'application/x-www-form-urlencoded' }, form(body)],
    ['form with a JSON body', { 'content-type': 'application/x-www-form-urlencoded' }, json],
    ['multipart', { 'content-type': 'multipart/form-data; boundary=b' }, `--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n${json}\r\n--b--\r\n`],
    ['text/plain', { 'content-type': 'text/plain' }, json],
    ['text/plain; charset', { 'content-type': 'text/plain;charset=utf-8' }, json],
    ['no content type', {}, json],
    ['application/jsonx', { 'content-type': 'application/jsonx' }, json],
    ['text/json', { 'content-type': 'text/json' }, json],
    ['application/json-patch+json', { 'content-type': 'application/json-patch+json' }, json],
  ];
  const origins = [
    'https://evil.example',
    'null',
    'http://shop.example',
    'https://shop.example:8443',
    'https://evil.shop.example',
    'https://shop.example.evil.example',
    'https://SHOP.EXAMPLE',
    'https://shop.example/',
    stack.merchant.url,
  ];
  return [
    ...contentTypes.map(([name, headers, sent]) => ({ name, headers: { ...fromShop, ...headers }, body: sent })),
    ...contentTypes.map(([name, headers, sent]) => ({ name: `${name}, no Origin`, headers, body: sent })),
    ...origins.map((origin) => ({ name: `Origin ${origin}`, headers: { 'content-type': 'application/json', origin }, body: json })),
    ...['cross-site', 'same-site'].map((site) => ({ name: `Sec-Fetch-Site ${site}`, headers: { 'content-type': 'application/json', 'sec-fetch-site': site }, body: json })),
    { name: 'form from another site', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, body: form(body) },
  ];
}

describe('CSRF: every state-changing route, every cross-site variant', () => {
  it('refuses them all with a stable code, changes nothing; the shop’s own calls pass', { timeout: 120_000 }, async () => {
    let tried = 0;
    let through = 0;
    let unstable = 0;
    let errors5xx = 0;
    const before = await snapshot();
    for (const route of ROUTES()) {
      for (const attack of attacks(route.body as Record<string, string>)) {
        const answer = await post(stack.merchant, route.path, { ...attack.headers, 'x-test-payer': route.payer }, attack.body);
        tried++;
        const code = errorCode(answer);
        if (answer.status < 400) through++;
        if (answer.status >= 500) errors5xx++;
        if (!((answer.status === 403 && code === 'cross_origin_refused') || (answer.status === 415 && code === 'json_required'))) {
          unstable++;
          console.log(`not refused as expected: ${route.path} ${attack.name} → ${answer.status} ${answer.text.slice(0, 200)}`);
        }
      }
    }
    const changed = (await snapshot()) === before ? 0 : 1;

    // The platform's callbacks are not browser calls: a form from anywhere reaches their signature check.
    let callbacksRefusedByCheck = 0;
    for (const path of ['/yunst/notify', '/yunst/return']) {
      const answer = await post(stack.merchant, path, { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, 'sysid=1&rps=%7B%7D&sign=x');
      tried++;
      if (answer.status === 403 || /cross_origin_refused|json_required/.test(answer.text)) callbacksRefusedByCheck++;
      if (answer.status >= 500) errors5xx++;
    }

    // Control: the same routes as the shop's page (its origin), a CORS page and a client without Origin send them.
    let allowedThrough = 0;
    let allowedTried = 0;
    const allowedHeaders: Record<string, string>[] = [{ origin: SHOP, 'sec-fetch-site': 'same-origin' }, { origin: CORS_PAGE, 'sec-fetch-site': 'cross-site' }, {}];
    for (const headers of allowedHeaders) {
      for (const route of ROUTES().slice(1, 4)) {
        const answer = await post(stack.merchant, route.path, { ...headers, 'content-type': 'application/json', 'x-test-payer': route.payer }, JSON.stringify(route.body));
        allowedTried++;
        const code = errorCode(answer);
        // Past the check means the route itself answered: not a refusal of the check, not a 404 of a missing route.
        if (code !== 'cross_origin_refused' && code !== 'json_required' && answer.status !== 403 && answer.status !== 415 && answer.status !== 404 && answer.status < 500) allowedThrough++;
        if (answer.status >= 500) errors5xx++;
      }
    }

    tally('csrf', {
      'variants tried': [tried, 'info'],
      'accepted cross-site requests': [through, 'zero'],
      'refusals without the stable code': [unstable, 'zero'],
      'state changes': [changed, 'zero'],
      'platform callbacks refused as cross-site': [callbacksRefusedByCheck, 'zero'],
      '5xx': [errors5xx, 'zero'],
      'allowed-origin requests past the check (control)': [allowedThrough, 'nonzero'],
    });
    assert.ok(tried >= 100, `${tried} variants`);
    assert.equal(through, 0);
    assert.equal(unstable, 0);
    assert.equal(changed, 0, 'nothing changed');
    assert.equal(callbacksRefusedByCheck, 0);
    assert.equal(errors5xx, 0);
    assert.equal(allowedThrough, allowedTried, 'every allowed call passed the check');
  });
});

describe('CORS: foreign origins', () => {
  it('get no Access-Control-Allow-Origin (never *), a BFF without cors sends none, the listed origin gets its own', { timeout: 60_000 }, async () => {
    const foreign = ['https://evil.example', 'null', 'http://pages.shop.example', 'https://pages.shop.example:8443', 'https://evil.pages.shop.example', 'https://pages.shop.example.evil.example', SHOP];
    const paths = [...ROUTES().map((route) => route.path), `/api/checkout/payments/${smsPayment}`, `/api/checkout/payments/${smsPayment}/events`, `/api/checkout/orders/${spareOrder}`];
    const ask = async (merchant: RunningMerchant, path: string, origin: string, method: string) => {
      const response = await fetch(merchant.url + path, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type,idempotency-key,last-event-id' },
      });
      await response.arrayBuffer();
      return response.headers;
    };
    let tried = 0;
    let granted = 0;
    let wildcard = 0;
    let offHeaders = 0;
    let listedGranted = 0;
    let credentialsWithoutOrigin = 0;
    for (const path of paths) {
      for (const method of ['POST', 'GET']) {
        for (const origin of foreign) {
          const headers = await ask(stack.merchant, path, origin, method);
          tried++;
          if (headers.get('access-control-allow-origin') !== null) granted++;
          if (headers.get('access-control-allow-credentials') !== null && headers.get('access-control-allow-origin') !== origin) credentialsWithoutOrigin++;
        }
        for (const origin of [...foreign, CORS_PAGE]) {
          const headers = await ask(plain, path, origin, method);
          tried++;
          if ([...headers.keys()].some((name) => name.startsWith('access-control-'))) offHeaders++;
        }
        const listed = await ask(stack.merchant, path, CORS_PAGE, method);
        if (listed.get('access-control-allow-origin') === CORS_PAGE && listed.get('access-control-allow-credentials') === 'true') listedGranted++;
        if (listed.get('access-control-allow-origin') === '*') wildcard++;
      }
    }
    // The calls themselves, not only the preflights: a foreign origin's read carries no ACAO either.
    for (const origin of foreign) {
      const response = await fetch(`${stack.merchant.url}/api/checkout/payments/${smsPayment}`, { headers: { origin, 'x-test-payer': owner } });
      await response.arrayBuffer();
      tried++;
      if (response.headers.get('access-control-allow-origin') !== null) granted++;
    }
    tally('cors', {
      'variants tried': [tried, 'info'],
      'foreign origins granted': [granted, 'zero'],
      'Allow-Origin *': [wildcard, 'zero'],
      'credentials without the origin': [credentialsWithoutOrigin, 'zero'],
      'CORS headers with cors off': [offHeaders, 'zero'],
      'listed-origin preflights granted (control)': [listedGranted, 'nonzero'],
    });
    assert.equal(granted, 0);
    assert.equal(wildcard, 0);
    assert.equal(credentialsWithoutOrigin, 0);
    assert.equal(offHeaders, 0);
    assert.equal(listedGranted, paths.length * 2);
  });
});

describe('payer access: every payment route, asked by anyone but its payer', () => {
  it('is the same 404 as no payment, changes nothing; the payer is answered', { timeout: 60_000 }, async () => {
    const strangers: (string | undefined)[] = ['someone-else', undefined, owner.toUpperCase(), `${owner}x`, owner.slice(0, -1), binder];
    const json = { 'content-type': 'application/json', origin: SHOP };
    const events = async (payer: string | undefined) => {
      const controller = new AbortController();
      const response = await fetch(`${stack.merchant.url}/api/checkout/payments/${smsPayment}/events`, { headers: payer ? { 'x-test-payer': payer } : {}, signal: controller.signal });
      controller.abort();
      return { status: response.status, text: '', headers: response.headers } satisfies Answer;
    };
    const calls = (payer: string | undefined): (() => Promise<Answer>)[] => {
      const as: Record<string, string> = payer ? { 'x-test-payer': payer } : {};
      return [
        async () => {
          const response = await fetch(`${stack.merchant.url}/api/checkout/payments/${smsPayment}`, { headers: as });
          return { status: response.status, text: await response.text(), headers: response.headers };
        },
        () => events(payer),
        () => post(stack.merchant, `/api/checkout/payments/${smsPayment}/confirm`, { ...json, ...as }, JSON.stringify({ verificationCode: '000000' })),
        () => post(stack.merchant, `/api/checkout/payments/${smsPayment}/sms`, { ...json, ...as }, '{}'),
        () => post(stack.merchant, `/api/checkout/payments/${gatewayPayment}/gateway`, { ...json, ...as }, '{}'),
        () => post(stack.merchant, `/api/checkout/orders/${spareOrder}/payments`, { ...json, ...as, 'idempotency-key': `stranger-${payer ?? 'none'}` }, JSON.stringify({ method: 'SCAN_WEIXIN' })),
      ];
    };
    let tried = 0;
    let answered = 0;
    let errors5xx = 0;
    const before = await snapshot();
    for (const stranger of strangers) {
      for (const call of calls(stranger)) {
        const answer = await call();
        tried++;
        if (answer.status !== 404) {
          answered++;
          console.log(`answered to ${stranger ?? 'nobody'}: ${answer.status} ${answer.text.slice(0, 200)}`);
        }
        if (answer.status >= 500) errors5xx++;
      }
    }
    const changed = (await snapshot()) === before ? 0 : 1;
    // Control: the payer's status read, stream and signed form.
    const [status, stream, , , gateway] = calls(owner);
    const payerAnswered = [(await status!()).status, (await stream!()).status, (await gateway!()).status].filter((code) => code === 200).length;
    tally('payer access', {
      'variants tried': [tried, 'info'],
      'answered to another payer': [answered, 'zero'],
      'state changes': [changed, 'zero'],
      '5xx': [errors5xx, 'zero'],
      'payer’s own requests answered (control)': [payerAnswered, 'nonzero'],
    });
    assert.equal(answered, 0);
    assert.equal(changed, 0, 'nothing changed');
    assert.equal(errors5xx, 0);
    assert.equal(payerAnswered, 3);
  });
});
