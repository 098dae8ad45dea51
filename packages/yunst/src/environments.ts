/** Where a YunST environment lives (spec §3.8, §4.2.9, §4.2.10; digest §1.10). */
export interface YunstEndpoints {
  /** The back-end API, `/service/soa`. */
  readonly soaUrl: string;
  /** Front confirm through the gateway (`pay`, §4.2.9). */
  readonly gatewayUrl: string;
  /** Front confirm with the payment password (`pay`, §4.2.10). */
  readonly passwordPayUrl: string;
}

/** The endpoints of a platform (or sandbox) at `origin`, laid out as YunST lays them out. */
export function endpointsAt(origin: string): YunstEndpoints {
  const base = origin.replace(/\/+$/, '');
  return {
    soaUrl: `${base}/service/soa`,
    gatewayUrl: `${base}/yungateway/frontTrans.do`,
    passwordPayUrl: `${base}/yungateway/pwd/payOrder.html`,
  };
}

/** The published environments. The test environment is plain HTTP (spec §2.1). */
export const YUNST_ENVIRONMENTS = {
  test: endpointsAt('http://116.228.64.55:6900'),
  production: endpointsAt('https://fintech.allinpay.com'),
} as const satisfies Record<string, YunstEndpoints>;
