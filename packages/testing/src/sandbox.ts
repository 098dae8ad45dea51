import { createSandbox, type Sandbox, type SandboxOptions } from '@tsy/sandbox';
import { TEST_SYSID, testKeySet, type PlatformKeys } from './keys.js';

export interface TestSandboxOptions extends Partial<Omit<SandboxOptions, 'merchantCertFile' | 'platformKeyFile'>> {
  /** Default: the process's shared `testKeySet()`. */
  readonly keys?: PlatformKeys;
  /** Default 0: any free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
}

export interface RunningSandbox {
  readonly sandbox: Sandbox;
  /** As the sandbox names itself in the pages and URLs it hands out (`publicBaseUrl` when given). */
  readonly url: string;
  /** Its `/service/soa` on this machine, for the BFF. */
  readonly soaUrl: string;
  close(): Promise<void>;
}

/** The platform's notification delays (5 s, 10 min, 1 h, 6 h …) × 0.002: retries are observable within a test. */
export const TEST_NOTIFICATION_TIME_SCALE = 0.002;

/** Starts the YunST sandbox over HTTP with the merchant's certificate and the platform's signing key of `keys`. */
export async function startSandbox(options: TestSandboxOptions = {}): Promise<RunningSandbox> {
  const { keys = testKeySet(), port = 0, host = '127.0.0.1', ...rest } = options;
  const sandbox = createSandbox({
    sysid: TEST_SYSID,
    notificationTimeScale: TEST_NOTIFICATION_TIME_SCALE,
    ...rest,
    merchantCertFile: keys.merchantCer,
    platformKeyFile: keys.platformKey,
  });
  const listening = await sandbox.listen(port, host).catch((error: unknown) => {
    sandbox.close();
    throw error;
  });
  const local = new URL(listening.url);
  if (local.hostname === '0.0.0.0') local.hostname = '127.0.0.1';
  return {
    sandbox,
    url: rest.publicBaseUrl ?? listening.url,
    soaUrl: new URL('/service/soa', local).toString(),
    async close() {
      sandbox.close();
      await listening.close();
    },
  };
}
