import { shopApi } from './api.js';
import { h, replace } from './dom.js';
import { applyPageTheme, applyToElement, loadPreferences, preferenceControls } from './preferences.js';
import { renderResult } from './result.js';
import { renderShop } from './shop.js';
import { loadEmulatedBridge, simulateControl } from './simulate.js';

const preferences = loadPreferences();
applyPageTheme(preferences.theme);
const prefs = document.getElementById('prefs');
prefs?.replaceChildren(
  preferenceControls(preferences, (chosen) => {
    applyPageTheme(chosen.theme);
    for (const element of document.querySelectorAll<HTMLElement>('tsy-checkout')) applyToElement(element, chosen);
  }),
);

const root = document.getElementById('app')!;
const onResultPage = location.pathname.replace(/\/+$/, '') === '/checkout/result';
shopApi
  .info()
  .then((info) => {
    // Sandbox only: a real platform has no emulated wallet apps to pretend to be in.
    if (info.environment === 'sandbox') {
      prefs?.firstElementChild?.append(simulateControl(info.simulate));
      void loadEmulatedBridge(info.simulate);
    }
    return onResultPage ? renderResult(root, preferences) : renderShop(root, preferences, info);
  })
  .catch((error: unknown) => {
    replace(root, h('p', { class: 'error', role: 'alert' }, `页面加载失败 / The page failed to load: ${error instanceof Error ? error.message : String(error)}`));
  });
