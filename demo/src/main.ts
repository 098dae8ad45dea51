import './style.css';
import { h, replace } from './dom.js';
import { renderResult } from './result.js';
import { renderShop } from './shop.js';

const root = document.getElementById('app')!;
const page = location.pathname.replace(/\/+$/, '') === '/checkout/result' ? renderResult : renderShop;
page(root).catch((error: unknown) => {
  replace(root, h('p', { class: 'error', role: 'alert' }, `页面加载失败 / The page failed to load: ${error instanceof Error ? error.message : String(error)}`));
});
