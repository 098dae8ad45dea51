/* The §6 dictionaries the request tables point to (<u>详细</u>), transcribed from spec §6 (OCR L4669–5031). */

/** The platform's reserved member id for itself (spec §4.1.1, §4.2.4 recieverId, §4.2.8 bizUserId, §5.3 bizUserId). */
export const PLATFORM_PLACEHOLDER = '#yunBizUserId_B2C#';

/** §6.1 会员类型: 2 enterprise, 3 individual. */
export const MEMBER_TYPES = [2, 3] as const;
/** §6.4 商品类型. */
export const GOODS_TYPES = [2, 3, 4, 5, 90, 99] as const;
/** §6.5 访问终端类型: 1 Mobile, 2 PC. */
export const SOURCES = [1, 2] as const;
/** §6.6 验证码类型: 6 unbind phone, 9 bind phone. */
export const VERIFICATION_CODE_TYPES = [6, 9] as const;
/** §6.16 交易验证方式: 0 none, 1 SMS code, 2 payment password. */
export const VALIDATE_TYPES = [0, 1, 2] as const;

/**
 * §6.11 业务码, the collection (代收) codes only: agentCollectApply is a collection. The OCR lost most code cells of the table;
 * the codes are those of the pairing lines under it (L4780–4794), where each 代收 code is paired with its 代付 code
 * (1001+2001 … 3003+4003). A 2xxx/4xxx payout code in a collection order is refused.
 */
export const COLLECTION_TRADE_CODES = ['1001', '1002', '1003', '1005', '1006', '1007', '3001', '3002', '3003'] as const;

/**
 * §6.12 行业代码: "使用四位的行业代码" — the four-digit codes (the two-digit rows are category headers).
 */
export const INDUSTRY_CODES = [
  '1010', '1011', '1012', '1013', '1014', '1015', '1016',
  '1110', '1111', '1114', '1115', '1116', '1117', '1118', '1119',
  '1410', '1411', '1412', '1413', '1414',
  '1510', '1511', '1512', '1514',
  '1610', '1611', '1612', '1613',
  '1910', '1912', '1914', '1915', '1916', '1917', '1918', '1929', '1930', '1940', '1941', '1944', '1947', '1953', '1954',
  '2310', '2311', '2312', '2313', '2314',
  '2413', '2414', '2415', '2416', '2417', '2418', '2419', '2420', '2421', '2422',
  '2510', '2511', '2512', '2513', '2514', '2515', '2516', '2517', '2518', '2519', '2520', '2521', '2522', '2523', '2524',
] as const;

/** §6.17: the reserve-quota account set a split to the platform must not use (§5.3 accountSetNo "不支持 100003"). */
export const RESERVE_ACCOUNT_SET_NO = '100003';
