import { h, replace } from './dom.js';
import { applyPageTheme, applyToElement, loadPreferences, preferenceControls } from './preferences.js';
import { renderResult } from './result.js';
import { renderShop } from './shop.js';

const preferences = loadPreferences();
applyPageTheme(preferences.theme);
document.getElementById('prefs')?.replaceChildren(
  preferenceControls(preferences, (chosen) => {
    applyPageTheme(chosen.theme);
    for (const element of document.querySelectorAll<HTMLElement>('tsy-checkout')) applyToElement(element, chosen);
  }),
);

const root = document.getElementById('app')!;
const onResultPage = location.pathname.replace(/\/+$/, '') === '/checkout/result';
(onResultPage ? renderResult(root) : renderShop(root, preferences)).catch((error: unknown) => {
  replace(root, h('p', { class: 'error', role: 'alert' }, `页面加载失败 / The page failed to load: ${error instanceof Error ? error.message : String(error)}`));
});
