/**
 * How long a page waits for a wallet's JS bridge before it says "open this page in the app": WeChat and Alipay inject it
 * within a moment of the page loading, so a few seconds without it means the page is not inside that app (or the app is
 * too old to have one).
 */
export const BRIDGE_TIMEOUT_MS = 4000;

/**
 * The bridge `read()` finds on `win`, at once or when `readyEvent` fires on its document; `undefined` after `timeoutMs`.
 * The wallets fire the event once, when the bridge is injected, so the listener is added before the first look.
 */
export function waitForBridge<T>(win: Window, readyEvent: string, read: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const doc = win.document;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (bridge: T | undefined) => {
      doc.removeEventListener(readyEvent, onReady);
      clearTimeout(timer);
      resolve(bridge);
    };
    const onReady = () => {
      const bridge = read();
      if (bridge) done(bridge);
    };
    doc.addEventListener(readyEvent, onReady);
    const now = read();
    if (now) return done(now);
    timer = setTimeout(() => done(read()), timeoutMs);
  });
}
