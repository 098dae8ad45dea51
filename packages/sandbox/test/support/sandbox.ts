import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PLATFORM_BIZ_USER_ID,
  YUNST_METHODS,
  buildSignedRequest,
  formatCstTimestamp,
  parseFormBody,
  verifyResponse,
  type MerchantKey,
  type PlatformKey,
  type SignedRequestFields,
  type VerifiedResponse,
} from '@tsy/yunst';
import type { ZodType } from 'zod';
import { createManualClock, createSandbox, type ManualClock, type Sandbox, type SandboxOptions } from '../../src/index.js';

export const SYSID = '1902271423530473681';
/** 2026-03-02 10:00:00 CST: a fixed start, far from a CST midnight. */
export const START = new Date('2026-03-02T02:00:00Z');

function rsaPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** One merchant and one platform key pair per test process; the sandbox reads them from files, as in real use. */
const merchant = rsaPair();
const platform = rsaPair();
const keyDir = mkdtempSync(join(tmpdir(), 'tsy-sandbox-test-'));
const merchantCertFile = join(keyDir, 'merchant-public.pem');
const platformKeyFile = join(keyDir, 'platform.key');
writeFileSync(merchantCertFile, merchant.publicKey.export({ type: 'spki', format: 'pem' }));
writeFileSync(platformKeyFile, platform.privateKey.export({ type: 'pkcs8', format: 'pem' }));

export const merchantKey: MerchantKey = { privateKey: merchant.privateKey };
/** What the merchant verifies answers with (the platform certificate's key). */
export const platformKey: PlatformKey = { publicKey: platform.publicKey };

export interface CallOptions {
  /** Defaults to the sandbox clock's now. */
  readonly timestamp?: string;
  readonly sysid?: string;
  /** Replace or drop envelope fields after signing. */
  readonly tamper?: (fields: Record<string, string>) => Record<string, string>;
}

export interface TestSandbox {
  readonly sandbox: Sandbox;
  readonly url: string;
  readonly clock: ManualClock;
  /** Signs and POSTs one request; the answer is verified with the platform key. */
  call(service: string, method: string, param: Record<string, unknown>, options?: CallOptions): Promise<VerifiedResponse>;
  /** The signed envelope fields, for front pages. */
  signed(service: string, method: string, param: Record<string, unknown>): SignedRequestFields;
  close(): Promise<void>;
}

export async function startSandbox(options: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const clock = createManualClock(START);
  const sandbox = createSandbox({ sysid: SYSID, merchantCertFile, platformKeyFile, clock, notificationTimeScale: 0.001, ...options });
  const server = await sandbox.listen(0);
  const signed = (service: string, method: string, param: Record<string, unknown>, timestamp?: string, sysid = SYSID) =>
    buildSignedRequest({ sysid, service, method, param, timestamp: timestamp ?? formatCstTimestamp(clock()) }, merchantKey);
  return {
    sandbox,
    url: server.url,
    clock,
    signed: (service, method, param) => signed(service, method, param),
    async call(service, method, param, callOptions = {}) {
      let fields: Record<string, string> = { ...signed(service, method, param, callOptions.timestamp, callOptions.sysid) };
      if (callOptions.tamper) fields = callOptions.tamper(fields);
      const response = await fetch(`${server.url}/service/soa`, { method: 'POST', body: new URLSearchParams(fields) });
      if (response.status !== 200) throw new Error(`/service/soa answered HTTP ${response.status}`);
      const answer = verifyResponse(await response.text(), platformKey);
      // Every success must also satisfy the result schema the BFF client parses it with.
      const result = (YUNST_METHODS as Record<string, Record<string, { result: ZodType } | undefined> | undefined>)[service]?.[method]?.result;
      if (answer.status === 'OK' && result) result.parse(answer.value);
      return answer;
    },
    close: () => server.close(),
  };
}

/** The signed value of a success, or a failure naming the error. */
export function ok(answer: VerifiedResponse): Record<string, unknown> {
  if (answer.status !== 'OK') throw new Error(`expected OK, got ${answer.errorCode} ${answer.message}`);
  return answer.value;
}

/** The error code of a refusal. */
export function errorCode(answer: VerifiedResponse): string {
  if (answer.status !== 'error') throw new Error(`expected an error, got OK ${answer.signedValue}`);
  return answer.errorCode;
}

export interface InboxMessage {
  phone: string;
  code: string;
  purpose: string;
  bizOrderNo?: string;
  sentAt: string;
}

export async function inbox(t: TestSandbox, phone?: string): Promise<InboxMessage[]> {
  const response = await fetch(`${t.url}/sandbox/sms?${new URLSearchParams({ format: 'json', ...(phone && { phone }) })}`);
  return (await response.json()) as InboxMessage[];
}

let phoneCounter = 0;
/** A fresh phone number (avoiding the 151/152/153/181/182/183/188 prefixes the test environment treats specially). */
export const nextPhone = (): string => `1390000${String(++phoneCounter).padStart(4, '0')}`;

export async function createMember(t: TestSandbox, bizUserId: string): Promise<void> {
  ok(await t.call('MemberService', 'createMember', { bizUserId, memberType: 3, source: 1 }));
}

/** A member with a bound phone, the code read from the SMS inbox like a tester would. */
export async function createPayer(t: TestSandbox, bizUserId: string, phone = nextPhone()): Promise<string> {
  await createMember(t, bizUserId);
  ok(await t.call('MemberService', 'sendVerificationCode', { bizUserId, phone, verificationCodeType: 9 }));
  const [message] = await inbox(t, phone);
  ok(await t.call('MemberService', 'bindPhone', { bizUserId, phone, verificationCode: message!.code }));
  return phone;
}

let orderCounter = 0;
export const nextBizOrderNo = (): string => `T${Date.now()}${String(++orderCounter).padStart(4, '0')}`;

/** A valid consumeApply param paying the platform (B2C); override anything. */
export function consumeParam(payerId: string, payMethod: Record<string, unknown>, amount: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    payerId,
    recieverId: PLATFORM_BIZ_USER_ID,
    bizOrderNo: nextBizOrderNo(),
    amount,
    fee: 0,
    backUrl: 'http://127.0.0.1:9/notify',
    payMethod,
    industryCode: '1910',
    industryName: '其他',
    source: 2,
    ...overrides,
  };
}

export async function postForm(url: string, fields: Record<string, string>, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual', ...init });
}

export interface ReceivedRequest {
  readonly at: number;
  readonly body: string;
  readonly fields: Record<string, string>;
}

/**
 * A merchant's notification endpoint: answers each request with the next status of `statuses` (the last one repeats).
 */
export async function startReceiver(statuses: readonly number[] = [200]): Promise<{
  url: string;
  received: ReceivedRequest[];
  /** Resolves with the n-th request (1-based) once it has arrived. */
  nth(n: number): Promise<ReceivedRequest>;
  close(): Promise<void>;
}> {
  const received: ReceivedRequest[] = [];
  const waiters: { n: number; resolve: (r: ReceivedRequest) => void }[] = [];
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const entry = { at: performance.now(), body, fields: parseFormBody(body) };
      received.push(entry);
      res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)]!;
      res.end('ok');
      for (const waiter of waiters.filter((w) => w.n === received.length)) waiter.resolve(entry);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/yunst/notify`,
    received,
    nth: (n) => (received[n - 1] ? Promise.resolve(received[n - 1]!) : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Hidden form fields of a page (the auto-submitted return form). */
export function formFields(page: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const unescape = (text: string) =>
    text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const match of page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[unescape(match[1]!)] = unescape(match[2]!);
  return fields;
}

/** The `action` of the first form posting to a sandbox cashier session. */
export function cashierAction(page: string): string {
  const match = /action="(\/sandbox\/cashier\/[^"]+)"/.exec(page);
  if (!match) throw new Error(`no cashier form in the page:\n${page}`);
  return match[1]!;
}
