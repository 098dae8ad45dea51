import { api } from './api.js';
import { h } from './dom.js';

/**
 * The sandbox's "simulate" switch: where the BFF should take the page to run (a page cannot change its User-Agent). The
 * choice lives in a cookie the shop's server sets (`PUT /api/shop/simulate`) and answers the BFF's `resolveEnvironment`
 * hook from; "auto" clears it, and the User-Agent decides again. Inside WeChat or Alipay the page also loads the sandbox's
 * emulation of that app's JS bridge (`/sandbox/jsbridge.js`, proxied to this origin), so the JS methods can be paid on a
 * desktop.
 */
export type Simulated = 'desktop' | 'mobile' | 'wechat' | 'alipay';
const CHOICES: readonly (readonly [Simulated | null, string])[] = [
  [null, '自动 Auto'],
  ['desktop', '电脑 Desktop'],
  ['mobile', '手机浏览器 Mobile'],
  ['wechat', '微信内 WeChat'],
  ['alipay', '支付宝内 Alipay'],
];

/** The emulated bridge for an in-app simulation (the sandbox's script, under script-src 'self'); resolves once it ran. */
export function loadEmulatedBridge(simulated: Simulated | null): Promise<void> {
  const bridge = simulated === 'wechat' ? 'weixin' : simulated === 'alipay' ? 'alipay' : undefined;
  if (!bridge || document.querySelector('script[data-jsbridge]')) return Promise.resolve();
  return new Promise((resolve) => {
    const script = h('script', { src: `/sandbox/jsbridge.js?bridge=${bridge}`, 'data-jsbridge': bridge });
    // Without the emulator the checkout says "open this page in WeChat / Alipay" after its wait: not a reason to stop the page.
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => resolve());
    document.head.append(script);
  });
}

/** The switch: a segmented control like the language and theme ones. A change reloads the page (new methods, new bridge). */
export function simulateControl(current: Simulated | null): HTMLElement {
  const buttons = CHOICES.map(([value, text]) =>
    h(
      'button',
      {
        type: 'button',
        'data-simulate': value ?? 'auto',
        'aria-pressed': String(current === value),
        onclick: () => {
          if (value === current) return;
          for (const button of buttons) button.disabled = true;
          void api('/api/shop/simulate', { method: 'PUT', body: { environment: value } })
            .then(() => location.reload())
            .catch(() => {
              for (const button of buttons) button.disabled = false;
            });
        },
      },
      text,
    ),
  );
  return h('div', { class: 'segmented simulate', role: 'group', 'aria-label': '模拟环境 / Simulate' }, h('span', { class: 'segmented-label' }, '模拟 Simulate'), ...buttons);
}
