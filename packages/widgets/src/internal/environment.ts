import type { ClientEnvironment } from '../api/types.js';

/** Where the page runs, read the way the BFF reads it (desktop, mobile browser, inside WeChat, inside Alipay). */
export function detectEnvironment(userAgent: string = typeof navigator === 'undefined' ? '' : navigator.userAgent): ClientEnvironment {
  if (/MicroMessenger/i.test(userAgent)) return 'wechat';
  if (/AlipayClient/i.test(userAgent)) return 'alipay';
  if (/Mobi|Android|iPhone|iPad|iPod|HarmonyOS/i.test(userAgent)) return 'mobile';
  return 'desktop';
}
