import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testKeySet, type StackKeys } from './keys.js';
import { startMerchant, type RunningMerchant, type TestMerchantOptions } from './merchant.js';
import { startSandbox, type RunningSandbox, type TestSandboxOptions } from './sandbox.js';

export interface CheckoutStackOptions extends Omit<TestMerchantOptions, 'sandboxUrl' | 'soaUrl' | 'dataDir' | 'keys' | 'sysid'> {
  /** The BFF's database folder; default a temporary one, removed by `close`. */
  readonly dataDir?: string;
  /** Default: the process's shared `testKeySet()`. */
  readonly keys?: StackKeys;
  readonly sysid?: string;
  /** The sandbox's notification schedule × this (default `TEST_NOTIFICATION_TIME_SCALE`). */
  readonly notificationTimeScale?: number;
  /** Anything else of the sandbox (`dailyOrderLimit`, `clock`, `log`, …). */
  readonly sandbox?: Omit<TestSandboxOptions, 'keys' | 'sysid' | 'notificationTimeScale'>;
}

export interface CheckoutStack {
  readonly sandbox: RunningSandbox;
  readonly merchant: RunningMerchant;
  readonly dataDir: string;
  /** Stops the merchant, then the sandbox; removes a temporary data folder. */
  close(): Promise<void>;
}

/** The sandbox and a merchant server mounting the BFF, started together on free ports. */
export async function startCheckoutStack(options: CheckoutStackOptions = {}): Promise<CheckoutStack> {
  const { dataDir: given, keys = testKeySet(), sysid, notificationTimeScale, sandbox: sandboxOptions, ...merchantOptions } = options;
  const dataDir = given ?? mkdtempSync(join(tmpdir(), 'tsy-stack-'));
  const removeData = () => {
    if (!given) rmSync(dataDir, { recursive: true, force: true });
  };
  const sandbox = await startSandbox({
    ...sandboxOptions,
    keys,
    ...(sysid ? { sysid } : {}),
    ...(notificationTimeScale !== undefined ? { notificationTimeScale } : {}),
  });
  let merchant: RunningMerchant;
  try {
    merchant = await startMerchant({ ...merchantOptions, keys, ...(sysid ? { sysid } : {}), sandboxUrl: sandbox.url, soaUrl: sandbox.soaUrl, dataDir });
  } catch (error) {
    await sandbox.close();
    removeData();
    throw error;
  }
  return {
    sandbox,
    merchant,
    dataDir,
    async close() {
      await merchant.close();
      await sandbox.close();
      removeData();
    },
  };
}
