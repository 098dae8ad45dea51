// The sandbox's own line of checks (src/spec-tables): hand-written requests, read off the spec's tables by hand — never
// built by the client, the shared schemas, or the tables under test. Each refusal is checked twice: over HTTP (the answer
// the merchant sees) and on the first line alone (specProblems), so a case the shared schema happens to refuse as well
// still proves the sandbox's own reading of the spec.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encryptField, formatCstTimestamp, signRequest, verifyResponse } from '@tsy/yunst';
import { SPEC_TABLES, specProblems, type MethodTable } from '../src/spec-tables/index.js';
import { createMember, createPayer, inbox, ok, platformKey, merchantKey, SYSID, startSandbox, type TestSandbox } from './support/sandbox.js';

type Param = Record<string, unknown>;
type Service = keyof typeof SPEC_TABLES;

/** A copy of `param` with the field at `path` (dots; numbers index arrays) set to `value`, or removed when undefined. */
function withField(param: Param, path: string, value: unknown): Param {
  const copy = structuredClone(param);
  const keys = path.split('.');
  let node = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}
/** `recieverList.0.amount` → `recieverList[0].amount`, as the platform's messages name fields. */
const fieldName = (path: string) => path.replace(/\.(\d+)(?=\.|$)/g, '[$1]');

interface RefusalCase {
  readonly name: string;
  readonly param: Param;
  readonly code: '10000' | '10001' | '10004' | '40023';
  /** The field the message must name. */
  readonly field: string;
}

/** A missing-field case per hand-listed required path, an empty-string case too where the field is a String. */
function missing(base: Param, paths: readonly string[]): RefusalCase[] {
  return paths.map((path) => ({ name: `${path} missing`, param: withField(base, path, undefined), code: '10001', field: fieldName(path) }));
}
/** A value one character over the spec's maximum, in characters (CJK, so bytes or UTF-16 units would count otherwise). */
function tooLong(base: Param, limits: Readonly<Record<string, number>>): RefusalCase[] {
  return Object.entries(limits).flatMap(([path, max]) => [
    { name: `${path} of ${max + 1} characters`, param: withField(base, path, '码'.repeat(max + 1)), code: '10004' as const, field: fieldName(path) },
  ]);
}
function wrong(base: Param, values: readonly (readonly [string, unknown, string?])[]): RefusalCase[] {
  return values.map(([path, value, why]) => ({
    name: `${path} = ${JSON.stringify(value)}${why ? ` (${why})` : ''}`,
    param: withField(base, path, value),
    code: '10000' as const,
    field: fieldName(path),
  }));
}

const tableOf = (service: Service, method: string): MethodTable => (SPEC_TABLES[service] as Record<string, MethodTable>)[method]!;

const PLATFORM = '#yunBizUserId_B2C#';
const BACK_URL = 'http://127.0.0.1:9/notify';
const FRONT_URL = 'http://127.0.0.1:9/return';

/** A card number encrypted for the platform, as the merchant sends it (spec §3.5). */
const cardNo = encryptField('6222020200112233445', platformKey);

let orderCounter = 0;
const bizOrderNo = () => `SPEC${Date.now()}${++orderCounter}`;

describe('spec tables: the first line of checks', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startSandbox({ dailyOrderLimit: false });
    await createPayer(t, 'spec-payer');
    await createMember(t, 'spec-payee');
  });
  after(() => t.close());

  /** Posts the request and checks both lines' verdicts on a refusal. */
  async function expectRefused(service: Service, method: string, c: RefusalCase): Promise<void> {
    const answer = await t.call(service, method, c.param);
    assert.equal(answer.status, 'error', `${c.name}: accepted`);
    if (answer.status !== 'error') return;
    assert.equal(answer.errorCode, c.code, `${c.name}: ${answer.message}`);
    assert.ok(answer.message.includes(c.field), `${c.name}: the message "${answer.message}" names ${c.field}`);
    const [first] = specProblems(tableOf(service, method), c.param);
    assert.ok(first, `${c.name}: the spec tables alone accept it`);
    assert.equal(first.code, c.code, `${c.name}: first line says ${first.code} ${first.field}`);
    assert.equal(first.field, c.field, c.name);
  }
  const accepted = (service: Service, method: string, param: Param) => {
    assert.deepEqual(specProblems(tableOf(service, method), param), []);
  };

  describe('MemberService', () => {
    it('createMember: a request typed as raw req text is accepted', async () => {
      const req = '{"service":"MemberService","method":"createMember","param":{"bizUserId":"spec-raw-1","memberType":3,"source":1}}';
      const timestamp = formatCstTimestamp(t.clock());
      const fields = { sysid: SYSID, sign: signRequest({ sysid: SYSID, req, timestamp }, merchantKey), timestamp, v: '2.0', req };
      const response = await fetch(`${t.url}/service/soa`, { method: 'POST', body: new URLSearchParams(fields) });
      assert.equal(ok(verifyResponse(await response.text(), platformKey)).bizUserId, 'spec-raw-1');
    });

    const createMemberParam = { bizUserId: 'spec-m-1', memberType: 2, source: 2, extendParam: { channel: 'shop' } };
    it('createMember: the correct request is accepted', async () => {
      assert.equal(ok(await t.call('MemberService', 'createMember', createMemberParam)).bizUserId, 'spec-m-1');
    });
    for (const c of [
      ...missing(createMemberParam, ['bizUserId', 'memberType', 'source']),
      ...wrong(createMemberParam, [
        ['memberType', 1, '§6.1: 2 or 3'],
        ['memberType', '3', 'Long, not a string'],
        ['source', 3, '§6.5: 1 or 2'],
        ['bizUserId', PLATFORM, 'the reserved id'],
        ['bizUserId', '#shop-1#', '#…# form'],
        ['bizUserId', '会员001', 'no Chinese'],
        ['extendParam', 'x', 'a JSONObject'],
        ['nickname', 'x', 'not in the table'],
      ]),
    ]) {
      it(`createMember: ${c.name} → ${c.code}`, () => expectRefused('MemberService', 'createMember', c));
    }

    const sendCodeParam = { bizUserId: 'spec-payer', phone: '13900009999', verificationCodeType: 9 };
    for (const c of [...missing(sendCodeParam, ['bizUserId', 'phone', 'verificationCodeType']), ...wrong(sendCodeParam, [['verificationCodeType', 7, '§6.6: 6 or 9']])]) {
      it(`sendVerificationCode: ${c.name} → ${c.code}`, () => expectRefused('MemberService', 'sendVerificationCode', c));
    }

    it('sendVerificationCode + bindPhone: the correct requests are accepted', async () => {
      ok(await t.call('MemberService', 'createMember', { bizUserId: 'spec-m-2', memberType: 3, source: 1 }));
      ok(await t.call('MemberService', 'sendVerificationCode', { bizUserId: 'spec-m-2', phone: '13900008888', verificationCodeType: 9 }));
      const [message] = await inbox(t, '13900008888');
      const bound = ok(await t.call('MemberService', 'bindPhone', { bizUserId: 'spec-m-2', phone: '13900008888', verificationCode: message!.code }));
      assert.equal(bound.phone, '13900008888');
    });
    const bindPhoneParam = { bizUserId: 'spec-m-2', phone: '13900008888', verificationCode: '123456' };
    for (const c of missing(bindPhoneParam, ['bizUserId', 'phone', 'verificationCode'])) {
      it(`bindPhone: ${c.name} → ${c.code}`, () => expectRefused('MemberService', 'bindPhone', c));
    }

    const bindAcctParam = { bizUserId: 'spec-payer', operationType: 'set', acctType: 'weChatPublic', acct: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' };
    it('applyBindAcct: the correct request is accepted', async () => {
      assert.equal(ok(await t.call('MemberService', 'applyBindAcct', bindAcctParam)).result, 'OK');
    });
    for (const c of [
      ...missing(bindAcctParam, ['bizUserId', 'operationType', 'acctType', 'acct']),
      ...wrong(bindAcctParam, [
        ['operationType', 'unset', 'only set-绑定'],
        ['acctType', 'weChatApp', '§4.1.23 lists three'],
        ['acct', '#openid#', '#…# form'],
      ]),
    ]) {
      it(`applyBindAcct: ${c.name} → ${c.code}`, () => expectRefused('MemberService', 'applyBindAcct', c));
    }
  });

  describe('OrderService.consumeApply', () => {
    const consume = (payMethod: Param, amount: number, more: Param = {}): Param => ({
      payerId: 'spec-payer',
      recieverId: PLATFORM,
      bizOrderNo: bizOrderNo(),
      amount,
      fee: 0,
      backUrl: BACK_URL,
      payMethod,
      industryCode: '1910',
      industryName: '其他',
      source: 2,
      ...more,
    });
    const base = consume({ SCAN_ALIPAY: { amount: 100, limitPay: '' } }, 100);

    it('the correct request with every optional row is accepted', async () => {
      const full = consume({ SCAN_ALIPAY: { amount: 100, limitPay: 'no_credit', benefitdetail: '{"discount":"0"}', chnlstoreid: 'S01', subbranch: 'B01' } }, 100, {
        recieverId: 'spec-payee',
        fee: 1,
        frontUrl: FRONT_URL,
        orderExpireDatetime: formatCstTimestamp(new Date(t.clock().getTime() + 30 * 60_000)),
        goodsType: 3,
        bizGoodsNo: 'G-1',
        goodsName: '咖啡',
        goodsDesc: '一杯咖啡',
        summary: '码'.repeat(20),
        extendInfo: '码'.repeat(50),
        splitRule: [{ bizUserId: 'spec-payee', amount: 10, fee: 0, remark: '码'.repeat(50), splitRuleList: [{ bizUserId: PLATFORM, accountSetNo: '100001', amount: 5, fee: 0 }] }],
      });
      accepted('OrderService', 'consumeApply', full);
      assert.ok(ok(await t.call('OrderService', 'consumeApply', full)).payInfo);
    });

    it('an optional row sent empty counts as absent (spec §2.4)', () => {
      accepted('OrderService', 'consumeApply', { ...base, summary: '', goodsName: null, splitRule: [] });
    });
    it('lengths are counted in characters, as the spec says 字符: 20 emoji are a 20-character summary', () => {
      accepted('OrderService', 'consumeApply', { ...base, summary: '😀'.repeat(20) });
      assert.equal(specProblems(SPEC_TABLES.OrderService.consumeApply, { ...base, summary: '😀'.repeat(21) })[0]?.code, '10004');
    });

    const splitLevel = (level: number): Param => ({ bizUserId: 'spec-payee', amount: 1, fee: 0, ...(level < 4 && { splitRuleList: [splitLevel(level + 1)] }) });
    for (const c of [
      ...missing(base, [
        'payerId',
        'recieverId',
        'bizOrderNo',
        'amount',
        'fee',
        'backUrl',
        'payMethod',
        'industryCode',
        'industryName',
        'source',
        'payMethod.SCAN_ALIPAY.amount',
        'payMethod.SCAN_ALIPAY.limitPay',
      ]),
      { name: 'bizOrderNo empty', param: withField(base, 'bizOrderNo', ''), code: '10001', field: 'bizOrderNo' },
      { name: 'payMethod {} (no method)', param: withField(base, 'payMethod', {}), code: '10001', field: 'payMethod' },
      ...tooLong(base, { summary: 20, extendInfo: 50 }),
      ...wrong(base, [
        ['validateType', 3, '§6.16'],
        ['goodsType', 1, '§6.4'],
        ['source', 0, '§6.5'],
        ['industryCode', '0000', 'not in §6.12'],
        ['industryCode', '19', 'a category header, not a four-digit code'],
        ['amount', '100', 'Long, not a string'],
        ['amount', 1.5, 'whole fen'],
        ['amount', 0, 'pays nothing'],
        ['fee', -1, 'a negative fee'],
        ['orderExpireDatetime', '2026-03-02T12:00:00', 'yyyy-MM-dd HH:mm:ss'],
        ['backUrl', 'http://127.0.0.1:9/notify#x', 'no "#" in an address (§3.3)'],
        ['frontUrl', 'http://127.0.0.1:9/r#top', 'no "#" in an address (§3.3)'],
        ['payerId', PLATFORM, 'the platform cannot pay'],
        ['recieverId', '#yunBizUserId_C2C#', 'only the platform placeholder'],
        ['bizOrderNo', '#order#', '#…# form'],
        ['payMethod.SCAN_ALIPAY.limitPay', 'credit', 'no_credit or ""'],
        ['payMethod.SCAN_ALIPAY.benefitdetail', '满减', 'a JSON text'],
        ['payMethod.SCAN_ALIPAY.vspCusid', '56058104816T6K1', 'SCAN_ALIPAY has no vspCusid'],
        ['payMethod.WeChatPAYAPP_VSP', { amount: 100, limitPay: '' }, 'discontinued'],
        ['payMethod.WITHDRAW_TLT', { payTypeName: 'withdraw_tlt' }, 'a payout method'],
        ['memo', 'x', 'not in the table'],
      ]),
      { name: 'splitRule of four levels', param: withField(base, 'splitRule', [splitLevel(1)]), code: '10000', field: 'splitRule[0].splitRuleList[0].splitRuleList[0].splitRuleList' },
      {
        name: 'splitRule of 11 members',
        param: withField(base, 'splitRule', Array.from({ length: 11 }, () => ({ bizUserId: 'spec-payee', amount: 1, fee: 0 }))),
        code: '10000',
        field: 'splitRule',
      },
      { name: 'a split to the platform into 100003', param: withField(base, 'splitRule', [{ bizUserId: PLATFORM, accountSetNo: '100003', amount: 1, fee: 0 }]), code: '10000', field: 'splitRule[0].accountSetNo' },
      { name: 'a split to a #…# id', param: withField(base, 'splitRule', [{ bizUserId: '#someone#', amount: 1, fee: 0 }]), code: '10000', field: 'splitRule[0].bizUserId' },
      { name: 'a split to the platform without accountSetNo', param: withField(base, 'splitRule', [{ bizUserId: PLATFORM, amount: 1, fee: 0 }]), code: '10001', field: 'splitRule[0].accountSetNo' },
      { name: 'a split remark of 51 characters', param: withField(base, 'splitRule', [{ bizUserId: 'spec-payee', amount: 1, fee: 0, remark: '码'.repeat(51) }]), code: '10004', field: 'splitRule[0].remark' },
      { name: 'a split entry without fee', param: withField(base, 'splitRule', [{ bizUserId: 'spec-payee', amount: 1 }]), code: '10001', field: 'splitRule[0].fee' },
    ] satisfies RefusalCase[]) {
      it(`${c.name} → ${c.code}`, () => expectRefused('OrderService', 'consumeApply', c));
    }
  });

  describe('OrderService.consumeApply per payMethod', () => {
    const order = (payMethod: Param, amount: number, more: Param = {}): Param => ({
      payerId: 'spec-payer',
      recieverId: PLATFORM,
      bizOrderNo: bizOrderNo(),
      amount,
      fee: 0,
      backUrl: BACK_URL,
      payMethod,
      industryCode: '2311',
      industryName: '食品饮料',
      source: 1,
      ...more,
    });
    const sceneInfo = '{"h5_info":{"type":"Wap","wap_url":"https://shop.example","wap_name":"Shop"}}';
    const H5_OPEN = { subAppId: 'wx26007303dd62364b', amount: 100, limitPay: '', cusip: '203.0.113.7', sceneInfo };
    const SCAN_OPEN = { wxAppId: 'wx26007303dd62364b', wxMchtId: '1550427751', amount: 100, limitPay: '', cusip: '203.0.113.7' };

    /** Hand-written per method: a correct value, its required fields, its lengths and its wrong values. */
    const cases: readonly {
      key: string;
      param: () => Param;
      required: readonly string[];
      lengths?: Readonly<Record<string, number>>;
      wrong?: readonly (readonly [string, unknown, string?])[];
      refusals?: (p: Param) => RefusalCase[];
      /** Where an unknown field goes (inside the entry for BALANCE's array). */
      extraAt?: string;
    }[] = [
      {
        key: 'SCAN_WEIXIN_ORG',
        param: () => order({ SCAN_WEIXIN_ORG: { vspCusid: '56058104816T6K1', amount: 100, limitPay: 'no_credit' } }, 100),
        required: ['vspCusid', 'amount', 'limitPay'],
        wrong: [['vspCusid', 56058104816, 'a String']],
      },
      {
        key: 'SCAN_UNIONPAY',
        param: () => order({ SCAN_UNIONPAY: { amount: 100, limitPay: '' } }, 100),
        required: ['amount', 'limitPay'],
        wrong: [['vspCusid', '56058104816T6K1', 'only the _ORG twin has vspCusid']],
      },
      {
        key: 'WECHAT_PUBLIC',
        param: () => order({ WECHAT_PUBLIC: { limitPay: '', acct: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', amount: 100, subAppid: 'wx26007303dd62364b', goods_tag: 'T1' } }, 100),
        required: ['limitPay', 'acct', 'amount'],
        wrong: [['benefitdetail', '[1,2]', 'a JSON object text'], ['subAppId', 'wx1', 'VSP methods spell it subAppid']],
      },
      {
        key: 'ALIPAY_SERVICE_ORG',
        param: () => order({ ALIPAY_SERVICE_ORG: { vspCusid: '56058104816T6K1', amount: 100, acct: '2088102146225135' } }, 100),
        required: ['vspCusid', 'amount', 'acct'],
        wrong: [['limitPay', '', 'not a field of Alipay JS pay']],
      },
      {
        key: 'WECHATPAY_H5_OPEN',
        param: () => order({ WECHATPAY_H5_OPEN: { ...H5_OPEN } }, 100),
        required: ['subAppId', 'amount', 'limitPay', 'cusip', 'sceneInfo'],
        lengths: { cusip: 16 },
        wrong: [['sceneInfo', 'Wap', 'a JSON object text'], ['subAppid', 'wx1', 'native methods spell it subAppId']],
      },
      {
        key: 'WECHATPAY_SCAN_OPEN',
        param: () => order({ WECHATPAY_SCAN_OPEN: { ...SCAN_OPEN, receipt: 'Y', sceneInfo: '{"store_info":{"id":"SZTX001"}}' } }, 100),
        required: ['wxAppId', 'wxMchtId', 'amount', 'limitPay', 'cusip'],
        lengths: { cusip: 16 },
        wrong: [['receipt', 'N', 'only Y'], ['wxAppld', 'wx1', 'the OCR spelling']],
      },
      {
        key: 'WECHATPAY_APP_OPEN',
        param: () => order({ WECHATPAY_APP_OPEN: { subAppId: 'wx26007303dd62364b', amount: 9, limitPay: '' } }, 9, { goodsName: '咖啡' }),
        required: ['subAppId', 'amount', 'limitPay'],
        refusals: (p) => [{ name: 'goodsName missing (微信原生 APP 支付必传)', param: withField(p, 'goodsName', undefined), code: '10001', field: 'goodsName' }],
      },
      {
        key: 'CODEPAY_VSP',
        param: () => order({ CODEPAY_VSP: { amount: 100, authcode: '134567890123456789', limitPay: '' } }, 100, { validateType: 0 }),
        required: ['amount', 'authcode', 'limitPay'],
      },
      {
        key: 'ORDER_VSPPAY',
        param: () => order({ ORDER_VSPPAY: { amount: 100 } }, 100, { summary: '柜台 3 号' }),
        required: ['amount'],
      },
      {
        key: 'ALIPAY_APP_OPEN',
        param: () => order({ ALIPAY_APP_OPEN: { amount: 9, enablePayChannels: 'balance,pcredit', paysumm: '码'.repeat(100) } }, 9),
        required: ['amount'],
        lengths: { enablePayChannels: 100, paysumm: 100 },
      },
      {
        key: 'GATEWAY_VSP',
        param: () => order({ GATEWAY_VSP: { amount: 100, paytype: 'B2C,B2B' } }, 100, { frontUrl: FRONT_URL }),
        required: ['amount', 'paytype'],
        wrong: [['paytype', 'B2X', '§6.14'], ['payType', 'B2C', 'the table spells it paytype']],
        refusals: (p) => [
          { name: 'frontUrl missing (收银宝网关必传)', param: withField(p, 'frontUrl', undefined), code: '10001', field: 'frontUrl' },
          { name: 'gateid with paytype B2C,B2B', param: withField(p, 'payMethod.GATEWAY_VSP.gateid', '0103'), code: '10000', field: 'payMethod.GATEWAY_VSP.paytype' },
        ],
      },
      {
        key: 'ALLINPAY_WALLET_H5',
        param: () => order({ ALLINPAY_WALLET_H5: { amount: '100' } }, 100, { frontUrl: FRONT_URL }),
        required: ['amount'],
        wrong: [['amount', 100, 'the one amount typed String'], ['amount', '1.00', 'fen, digits only']],
        refusals: (p) => [{ name: 'frontUrl missing (前台交易时必填)', param: withField(p, 'frontUrl', undefined), code: '10001', field: 'frontUrl' }],
      },
      {
        key: 'InstallmentPayment_H5',
        param: () => order({ InstallmentPayment_H5: { nper: 12, channel: 1, amount: 100, bankCardNo: cardNo } }, 100, { frontUrl: FRONT_URL }),
        required: ['nper', 'channel', 'amount', 'bankCardNo'],
        wrong: [['nper', 9, '3, 6, 12 or 24'], ['channel', 2, '0 pc, 1 wap'], ['bankCardNo', '6222020200112233445', 'RSA-encrypted hex']],
      },
      {
        key: 'QUICKPAY_TLT',
        param: () => order({ QUICKPAY_TLT: { bankCardNo: cardNo, amount: 100 } }, 100),
        required: ['bankCardNo', 'amount'],
        wrong: [['bankCardNo', cardNo.toLowerCase(), 'upper-case hex (§3.5)']],
        refusals: (p) => [
          { name: 'validate without cvv2 (信用卡必填)', param: withField(p, 'payMethod.QUICKPAY_TLT.validate', cardNo), code: '10001', field: 'payMethod.QUICKPAY_TLT.cvv2' },
        ],
      },
      {
        key: 'REALNAMEPAY',
        param: () => order({ REALNAMEPAY: { bankCardNo: cardNo, amount: 100 } }, 100),
        required: ['bankCardNo', 'amount'],
      },
      {
        key: 'BALANCE',
        param: () => order({ BALANCE: [{ accountSetNo: '400142', amount: 60 }], COUPON: { amount: 40 } }, 100),
        required: ['0.accountSetNo', '0.amount'],
        extraAt: '0.extraField',
        refusals: (p) => [
          { name: 'BALANCE []', param: withField(p, 'payMethod.BALANCE', []), code: '10001', field: 'payMethod.BALANCE' },
          { name: 'BALANCE as one object', param: withField(p, 'payMethod.BALANCE', { accountSetNo: '400142', amount: 60 }), code: '10000', field: 'payMethod.BALANCE' },
          { name: 'COUPON amount missing', param: withField(p, 'payMethod.COUPON.amount', undefined), code: '10001', field: 'payMethod.COUPON.amount' },
        ],
      },
    ];

    for (const c of cases) {
      it(`${c.key}: the correct request is accepted`, async () => {
        const param = c.param();
        accepted('OrderService', 'consumeApply', param);
        const answer = ok(await t.call('OrderService', 'consumeApply', param));
        assert.equal(answer.bizOrderNo, param.bizOrderNo);
      });
      const at = (field: string) => `payMethod.${c.key}.${field}`;
      const p = c.param();
      const refusals: RefusalCase[] = [
        ...missing(p, c.required.map(at)),
        ...tooLong(p, Object.fromEntries(Object.entries(c.lengths ?? {}).map(([field, max]) => [at(field), max]))),
        ...wrong(p, (c.wrong ?? []).map(([field, value, why]) => [at(field), value, why] as const)),
        ...wrong(p, [[at(c.extraAt ?? 'extraField'), 'x', 'not in the §5.2 table']]),
        ...(c.refusals?.(p) ?? []),
      ];
      for (const r of refusals) {
        it(`${c.key}: ${r.name} → ${r.code}`, () => expectRefused('OrderService', 'consumeApply', r));
      }
    }
  });

  describe('OrderService.agentCollectApply', () => {
    const base: Param = {
      bizOrderNo: 'SPEC-AC-1',
      payerId: 'spec-payer',
      recieverList: [{ bizUserId: 'spec-payee', amount: 100 }],
      tradeCode: '3001',
      amount: 100,
      backUrl: BACK_URL,
      payMethod: { SCAN_WEIXIN: { amount: 100, limitPay: '' } },
      industryCode: '1910',
      industryName: '其他',
      source: 2,
    };
    it('the correct request (fee left out: "如果不填,默认为 0") is accepted', async () => {
      accepted('OrderService', 'agentCollectApply', base);
      assert.ok(ok(await t.call('OrderService', 'agentCollectApply', base)).payInfo);
    });
    for (const c of [
      ...missing(base, ['bizOrderNo', 'payerId', 'recieverList', 'tradeCode', 'amount', 'backUrl', 'payMethod', 'industryCode', 'industryName', 'source', 'recieverList.0.bizUserId', 'recieverList.0.amount']),
      { name: 'recieverList []', param: withField(base, 'recieverList', []), code: '10001', field: 'recieverList' },
      {
        name: 'recieverList of 2001 payees',
        param: withField(base, 'recieverList', Array.from({ length: 2001 }, () => ({ bizUserId: 'spec-payee', amount: 0 }))),
        code: '10004',
        field: 'recieverList',
      },
      ...tooLong(base, { summary: 20, extendInfo: 50 }),
      ...wrong(base, [
        ['tradeCode', '4001', 'a payout code'],
        ['tradeCode', '9999', 'not in §6.11'],
        ['recieverList.0.bizUserId', PLATFORM, 'the platform placeholder is for recieverId only'],
        ['recieverList.0.share', 1, 'not in §5.8'],
        ['splitRule', [], 'agentCollectApply has no splitRule row'],
        ['recieverId', 'spec-payee', 'a consumeApply row'],
      ]),
    ] satisfies RefusalCase[]) {
      it(`${c.name} → ${c.code}`, () => expectRefused('OrderService', 'agentCollectApply', c));
    }
  });

  describe('OrderService.pay, resendPaySMS, getOrderDetail', () => {
    let smsOrderNo: string;
    before(async () => {
      smsOrderNo = bizOrderNo();
      const param = {
        payerId: 'spec-payer',
        recieverId: PLATFORM,
        bizOrderNo: smsOrderNo,
        amount: 1,
        fee: 0,
        backUrl: BACK_URL,
        payMethod: { BALANCE: [{ accountSetNo: '400142', amount: 1 }] },
        industryCode: '1910',
        industryName: '其他',
        source: 2,
      };
      ok(await t.call('OrderService', 'consumeApply', param));
    });

    it('QUICKPAY_TLT credit card: validate (MMYY) and cvv2 (3 digits) are checked once decrypted', async () => {
      const credit = (validate: string, cvv2: string): Param => ({
        payerId: 'spec-payer',
        recieverId: PLATFORM,
        bizOrderNo: bizOrderNo(),
        amount: 100,
        fee: 0,
        backUrl: BACK_URL,
        payMethod: { QUICKPAY_TLT: { bankCardNo: cardNo, validate: encryptField(validate, platformKey), cvv2: encryptField(cvv2, platformKey), amount: 100 } },
        industryCode: '1910',
        industryName: '其他',
        source: 2,
      });
      ok(await t.call('OrderService', 'consumeApply', credit('0328', '167')));
      for (const [validate, cvv2, field] of [['1328', '167', 'validate'], ['0328', '1670', 'cvv2'], ['2803', '16a', 'validate']] as const) {
        const answer = await t.call('OrderService', 'consumeApply', credit(validate, cvv2));
        assert.equal(answer.status === 'error' && answer.errorCode, '10000', `${validate}/${cvv2}`);
        assert.match(answer.status === 'error' ? answer.message : '', new RegExp(`QUICKPAY_TLT\\.${field}`));
      }
    });

    it('resendPaySMS, pay and getOrderDetail: the correct requests are accepted', async () => {
      t.clock.advance(11_000);
      ok(await t.call('OrderService', 'resendPaySMS', { bizOrderNo: smsOrderNo }));
      const [message] = (await inbox(t)).filter((m) => m.bizOrderNo === smsOrderNo);
      const payParam = { bizUserId: 'spec-payer', bizOrderNo: smsOrderNo, tradeNo: '', verificationCode: message!.code, consumerIp: '203.0.113.7' };
      accepted('OrderService', 'pay', payParam);
      assert.equal(ok(await t.call('OrderService', 'pay', payParam)).payStatus, 'success');
      assert.equal(ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo: smsOrderNo })).orderStatus, 4);
    });

    it('pay: bizUserId may be the platform placeholder (§4.2.8) — both lines let it through to the order rules', async () => {
      const param = { bizUserId: PLATFORM, bizOrderNo: smsOrderNo, verificationCode: '123456', consumerIp: '203.0.113.7' };
      accepted('OrderService', 'pay', param);
      const answer = await t.call('OrderService', 'pay', param);
      assert.equal(answer.status === 'error' && answer.errorCode, '40022', 'refused as not the payer, not as a bad parameter');
    });

    const payParam = { bizUserId: 'spec-payer', bizOrderNo: 'SPEC-PAY-1', verificationCode: '123456', consumerIp: '203.0.113.7' };
    for (const c of [
      ...missing(payParam, ['bizUserId', 'bizOrderNo', 'verificationCode', 'consumerIp']),
      ...wrong(payParam, [
        ['consumerIp', 'localhost', '不能使用 localhost'],
        ['consumerIp', ' 127.0.0.1 ', '不能使用 127.0.0.1'],
        ['bizUserId', '#yunBizUserId_B2B#', 'only the B2C placeholder'],
        ['tradeNo', 12, 'a String'],
      ]),
    ] satisfies RefusalCase[]) {
      it(`pay: ${c.name} → ${c.code}`, () => expectRefused('OrderService', 'pay', c));
    }
    for (const method of ['resendPaySMS', 'getOrderDetail'] as const) {
      for (const c of [
        ...missing({ bizOrderNo: 'SPEC-Q-1' }, ['bizOrderNo']),
        ...wrong({ bizOrderNo: 'SPEC-Q-1' }, [
          ['bizOrderNo', 42, 'a String'],
          ['orderNo', '1', 'not in the table'],
        ]),
      ] satisfies RefusalCase[]) {
        it(`${method}: ${c.name} → ${c.code}`, () => expectRefused('OrderService', method, c));
      }
    }

    // §4.2.16 refund, §5.9 refundList entries.
    const refundParam = {
      bizOrderNo: 'SPEC-R-1',
      oriBizOrderNo: 'SPEC-R-0',
      bizUserId: 'spec-payer',
      refundType: 'D0',
      refundList: [{ bizUserId: 'spec-payee', amount: 90 }],
      backUrl: BACK_URL,
      amount: 100,
      couponAmount: 0,
      feeAmount: 10,
      extendInfo: 'x',
    };
    it('refund: the full request passes the first line (and reaches the order rules: 40000 for an unknown original)', async () => {
      accepted('OrderService', 'refund', refundParam);
      accepted('OrderService', 'refund', { ...refundParam, bizUserId: PLATFORM });
      const answer = await t.call('OrderService', 'refund', refundParam);
      assert.equal(answer.status === 'error' && answer.errorCode, '40000');
    });
    for (const c of [
      ...missing(refundParam, ['bizOrderNo', 'oriBizOrderNo', 'bizUserId', 'amount', 'refundList.0.bizUserId', 'refundList.0.amount']),
      ...wrong(refundParam, [
        ['amount', 0, 'a refund gives something back'],
        ['amount', '100', 'a Long'],
        ['feeAmount', -1, 'fen'],
        ['feeAmount', 101, '不得超过退款总金额'],
        ['couponAmount', 101, '不得超过退款总金额'],
        ['refundList', [{ bizUserId: 'spec-payee', amount: 80 }], '总金额=amount-feeAmount'],
        ['refundList.0.remark', 'x', 'not in §5.9'],
        ['backUrl', 'http://127.0.0.1:9/notify#x', 'no # in addresses'],
        ['bizUserId', '#yunBizUserId_B2B#', 'only the B2C placeholder'],
      ]),
      { name: 'refundType = "D2"', param: withField(refundParam, 'refundType', 'D2'), code: '40023', field: 'refundType' },
      { name: 'refundList of 101 entries', param: withField(refundParam, 'refundList', Array.from({ length: 101 }, () => ({ bizUserId: 'spec-payee', amount: 1 }))), code: '10004', field: 'refundList' },
    ] satisfies RefusalCase[]) {
      it(`refund: ${c.name} → ${c.code}`, () => expectRefused('OrderService', 'refund', c));
    }
  });
});
