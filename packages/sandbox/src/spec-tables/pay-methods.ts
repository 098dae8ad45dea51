import type { PayMethodKey } from '@tsy/yunst';
import type { ArrayField, FieldTable, LongField, ObjectField, StringField } from './types.js';

/*
 * spec §5.2 支付方式, the first table (OCR L3765–4070): one table per payMethod key the sandbox accepts, transcribed row by
 * row — value field name, type, 必填, and what the 字段说明 column states. Fields a table does not list are refused. The
 * discontinued WeChatPAYAPP_VSP(_ORG) (change log 2.1.2), the payout keys (WITHDRAW_*, TRANSFER_HTBANK) and WITHHOLD_SD are
 * not accepted: a consumption or collection order cannot use them here.
 */

const at = (line: number) => `§5.2 L${line}`;

/** "支付金额,单位:分" — Long, in fen (§2.4), never negative. */
const amount = (line: number): LongField => ({ section: at(line), type: 'Long', required: true, min: 0 });

/** "非贷记卡: no_credit / 借、贷记卡: "" 需要传空字符串,不能不传" — required, and the empty string is a value. */
const limitPay = (line: number): StringField => ({ section: at(line), type: 'String', required: true, values: ['no_credit', ''] });

const text = (line: number, required: boolean, more: Partial<StringField> = {}): StringField => ({ section: at(line), type: 'String', required, ...more });

/** "银行卡号,RSA 加密" and the other encrypted fields: §3.5 — the encrypted bytes as upper-case hexadecimal text. */
const encrypted = (line: number, required: boolean, note?: string): StringField => ({
  section: `${at(line)}, §3.5`,
  type: 'String',
  required,
  format: { pattern: /^(?:[0-9A-F]{2})+$/, what: 'RSA 加密后的大写 16 进制字符串 (§3.5)' },
  ...(note && { note }),
});

/** "benefitdetail 的 json 字符串,注意是 String" — typed JSONObject in the 类型 column, but the text says a String. */
const benefitdetail = (line: number): StringField => ({
  section: at(line),
  type: 'String',
  required: false,
  jsonObjectText: true,
  note: 'The 类型 column says JSONObject; the 说明 says "注意是 String": a string holding a JSON object.',
});

/** "用户下单及调起支付的终端 IP 注:最大长度 16". */
const cusip = (line: number): StringField => text(line, true, { maxChars: 16 });

/** goods_tag, benefitdetail, chnlstoreid, subbranch: WeChat discount fields of the VSP WeChat and code-pay methods. */
const wechatDiscounts = (line: number): FieldTable => ({
  goods_tag: text(line, false),
  benefitdetail: benefitdetail(line + 1),
  chnlstoreid: text(line + 2, false),
  subbranch: text(line + 3, false),
});
const alipayDiscounts = (line: number): FieldTable => ({
  benefitdetail: benefitdetail(line),
  chnlstoreid: text(line + 1, false),
  subbranch: text(line + 2, false),
});

const method = (line: number, fields: FieldTable, note?: string): ObjectField => ({
  section: at(line),
  type: 'JSONObject',
  required: false,
  fields,
  ...(note && { note }),
});

/** The JSON text sceneInfo of the WeChat native methods ("该字段为 JSON 对象数据"; the H5 row's examples are JSON objects). */
const sceneInfo = (line: number, required: boolean): StringField => text(line, required, { jsonObjectText: true });

const BALANCE: ArrayField = {
  section: at(3995),
  type: 'JSONArray',
  required: false,
  note: 'value 类型 "JSONArray (里面为 JSONObject)": an array of {accountSetNo, amount}; an empty array pays nothing and is refused as empty.',
  items: { section: at(3995), type: 'JSONObject', required: true, fields: { accountSetNo: text(3995, true), amount: amount(3996) } },
};

export const PAY_METHOD_TABLES: { readonly [K in PayMethodKey]: ObjectField | ArrayField } = {
  GATEWAY_VSP: method(
    3778,
    {
      amount: amount(3778),
      gateid: text(3779, false),
      // "gateid 不为空时,该域只能上送 B2C 或者 B2B; gateid 为空时,该域可以上送 B2C, B2B, B2C,B2B" — the gateid condition is a
      // cross-field rule of consumeApply/agentCollectApply (order-service.ts). §6.14 prints the third value "B2C, B2B" with a
      // space; this row (the field's own table) prints "B2C,B2B", which is what is accepted.
      paytype: text(3780, true, { values: ['B2C', 'B2B', 'B2C,B2B'] }),
    },
    'The §5.2 JSON example spells the field "payType"; the table says "paytype". The table is taken: "payType" is an unknown field.',
  ),
  REALNAMEPAY: method(3781, { bankCardNo: encrypted(3781, true), amount: amount(3782) }),
  REALNAMEPAY_BATCH: method(3783, { bankCardNo: encrypted(3783, true), amount: amount(3784) }),
  QUICKPAY_TLT: method(3785, {
    bankCardNo: encrypted(3785, true),
    // "有效期,信用卡必填" / "CVV2,信用卡必填": both belong to a credit card, so one without the other is refused (rule in
    // order-service.ts).
    validate: encrypted(3786, false, 'Plain text MMYY ("格式为月年; 如 0321"), checked after decryption.'),
    cvv2: encrypted(3787, false),
    amount: amount(3788),
  }),
  QUICKPAY_VSP: method(3789, { bankCardNo: encrypted(3789, true), amount: amount(3790) }),
  WECHATPAY_MINIPROGRAM: method(3791, {
    limitPay: limitPay(3791),
    subAppid: text(3792, false),
    amount: amount(3793),
    acct: text(3795, true),
    ...wechatDiscounts(3798),
  }),
  WECHATPAY_MINIPROGRAM_ORG: method(3812, {
    vspCusid: text(3812, true),
    subAppid: text(3813, false),
    limitPay: limitPay(3815),
    amount: amount(3818),
    acct: text(3820, true),
    ...wechatDiscounts(3824),
  }),
  WECHATPAY_APP_OPEN: method(3870, { subAppId: text(3870, true), amount: amount(3872), limitPay: limitPay(3874) }),
  WECHATPAY_H5_OPEN: method(3876, {
    subAppId: text(3876, true),
    amount: amount(3878),
    limitPay: limitPay(3879),
    acct: text(3882, false),
    cusip: cusip(3884),
    sceneInfo: sceneInfo(3886, true),
  }),
  CODEPAY_VSP: method(3898, {
    amount: amount(3898),
    // "支付授权码" — the spec gives no length or format (the sandbox's test codes are a behaviour, not a parameter rule).
    authcode: text(3899, true),
    limitPay: limitPay(3900),
    ...wechatDiscounts(3902),
  }),
  CODEPAY_VSP_ORG: method(3906, {
    vspCusid: text(3906, true),
    amount: amount(3907),
    authcode: text(3908, true),
    limitPay: limitPay(3909),
    ...wechatDiscounts(3911),
  }),
  SCAN_WEIXIN: method(3918, { amount: amount(3918), limitPay: limitPay(3919) }),
  SCAN_WEIXIN_ORG: method(3920, { vspCusid: text(3920, true), amount: amount(3921), limitPay: limitPay(3922) }),
  // The OCR prints "wxAppld" / "wxMchtld" (a lower-case L for the I); the names are wxAppId / wxMchtId (digest §4.2).
  WECHATPAY_SCAN_OPEN: method(3923, {
    wxAppId: text(3923, true),
    wxMchtId: text(3924, true),
    amount: amount(3926),
    limitPay: limitPay(3926),
    cusip: cusip(3927),
    acct: text(3928, false),
    sceneInfo: sceneInfo(3929, false),
    // "开发票入口开放标识 Y,传入 Y 时…": the only value named.
    receipt: text(3933, false, { values: ['Y'] }),
  }),
  SCAN_ALIPAY: method(3934, { amount: amount(3934), limitPay: limitPay(3935), ...alipayDiscounts(3936) }),
  SCAN_ALIPAY_ORG: method(3939, { vspCusid: text(3939, true), amount: amount(3940), limitPay: limitPay(3941), ...alipayDiscounts(3942) }),
  SCAN_UNIONPAY: method(3945, { amount: amount(3945), limitPay: limitPay(3946) }),
  SCAN_UNIONPAY_ORG: method(3947, { vspCusid: text(3947, true), amount: amount(3948), limitPay: limitPay(3949) }),
  WECHAT_PUBLIC: method(3950, {
    limitPay: limitPay(3950),
    subAppid: text(3951, false),
    acct: text(3952, true),
    amount: amount(3953),
    ...wechatDiscounts(3954),
  }),
  WECHAT_PUBLIC_ORG: method(3961, {
    vspCusid: text(3961, true),
    subAppid: text(3962, false),
    amount: amount(3963),
    acct: text(3964, true),
    limitPay: limitPay(3965),
    ...wechatDiscounts(3966),
  }),
  WECHATPAY_PUBLIC_OPEN: method(3970, {
    wxAppId: text(3970, true),
    wxMchtId: text(3971, true),
    amount: amount(3972),
    limitPay: limitPay(3973),
    cusip: cusip(3975),
    acct: text(3976, false),
    receipt: text(3980, false, { values: ['Y'] }),
  }),
  ALIPAY_SERVICE: method(3981, { acct: text(3981, true), amount: amount(3982), ...alipayDiscounts(3983) }),
  ALIPAY_SERVICE_ORG: method(3986, { vspCusid: text(3986, true), amount: amount(3987), acct: text(3988, true), ...alipayDiscounts(3989) }),
  QQ_WALLET: method(3992, { amount: amount(3992) }),
  QQ_WALLET_ORG: method(3993, { vspCusid: text(3993, true), amount: amount(3994) }),
  BALANCE,
  COUPON: method(3997, {
    amount: amount(3997),
    // "目前只支持营销专用账户和保证金账户。如果不传此字段,则默认为营销专用账户": the numbers of those account sets are the
    // application's own (托管账户集, §6.17 "请与通商云业务人员联系获取"), so no value list can be transcribed.
    accountSetNo: text(4001, false),
  }),
  ORDER_VSPPAY: method(4010, { vspCusid: text(4010, false), amount: amount(4011) }),
  ALIPAY_APP_OPEN: method(4012, {
    amount: amount(4012),
    enablePayChannels: text(4013, false, { maxChars: 100 }),
    // Printed "paysumm" (the digest suspects "paysummary" cut by the OCR); the printed name is the one accepted.
    paysumm: text(4014, false, { maxChars: 100 }),
  }),
  InstallmentPayment_H5: method(4031, {
    nper: { section: at(4031), type: 'Long', required: true, values: [3, 6, 12, 24] },
    channel: { section: at(4032), type: 'Long', required: true, values: [0, 1] },
    amount: amount(4033),
    bankCardNo: encrypted(4034, true),
  }),
  ALLINPAY_WALLET_H5: method(4045, {
    // The only amount typed String in §5.2 (digest §10 item 11): fen as a string of digits, a JSON number is refused.
    amount: text(4045, true, { format: { pattern: /^\d+$/, what: '以分为单位的数字字符串' } }),
  }),
  MOBILEAPPPAY_VSP: method(4069, { amount: amount(4069) }),
};
