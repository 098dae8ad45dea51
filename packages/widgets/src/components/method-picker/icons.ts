import { svg, type SVGTemplateResult } from 'lit';
import type { MethodView } from '../../api/types.js';
import type { MethodGroup } from '../../internal/method-groups.js';

/*
 * Small inline icons, drawn here (no external assets, no data: URLs, nothing a strict CSP blocks): a tile in the wallet's
 * colour with a simple white glyph, or a neutral tile in the theme's colours for bank cards, balances and the rest.
 * Brand-neutral shapes, not the wallets' logos.
 */

const wechat = svg`<rect width="24" height="24" rx="6" fill="#07c160"/>
  <path fill="#fff" d="M9.7 5.6c-3.4 0-6.2 2.3-6.2 5.1 0 1.6.9 3 2.3 3.9l-.5 1.8 2.1-1.1c.7.2 1.5.3 2.3.3h.3a4 4 0 0 1-.1-1c0-2.9 2.8-5.1 6.1-5.1h.3c-.6-2.2-3.3-3.9-6.6-3.9z"/>
  <path fill="#fff" d="M20.5 14.6c0-2.3-2.3-4.2-5-4.2s-5 1.9-5 4.2 2.3 4.2 5 4.2c.6 0 1.1-.1 1.6-.2l1.8.9-.4-1.5c1.2-.8 2-2 2-3.4z"/>`;

const alipay = svg`<rect width="24" height="24" rx="6" fill="#1677ff"/>
  <path fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" d="M6.5 7.5h11M12 4.8v5.4M7.8 11h8.4c-1.4 3.8-4.4 6.3-8.7 7.6M10 13.4c2.3 2.6 5 4.3 8 5.1"/>`;

const unionpay = svg`<rect x=".5" y=".5" width="23" height="23" rx="5.5" fill="#fff" stroke="#d9dce1"/>
  <path fill="#e21836" d="M6 5h4.6l-2.3 14H3.7z"/>
  <path fill="#00447c" d="M11 5h4.6l-2.3 14H8.7z"/>
  <path fill="#007b84" d="M16 5h4.6l-2.3 14h-4.6z"/>`;

const qq = svg`<rect width="24" height="24" rx="6" fill="#12b7f5"/>
  <circle cx="11.5" cy="11.5" r="5.2" fill="none" stroke="#fff" stroke-width="1.9"/>
  <path stroke="#fff" stroke-width="1.9" stroke-linecap="round" d="M14.6 14.6l3.4 3.4"/>`;

/** The neutral tile: its fill and the glyph's colour come from the theme (tsy-method-picker.styles.ts). */
const neutral = (glyph: SVGTemplateResult) =>
  svg`<rect class="tile" width="24" height="24" rx="6"/><g fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round">${glyph}</g>`;

const bank = neutral(svg`<rect x="4.5" y="7" width="15" height="10.5" rx="2"/><path d="M4.5 10.5h15M7.5 14.5h3"/>`);
const balance = neutral(svg`<path d="M5 9a2 2 0 0 1 2-2h9.5v2M5 9v7.5a2 2 0 0 0 2 2h10.5a1.5 1.5 0 0 0 1.5-1.5V10.5A1.5 1.5 0 0 0 17.5 9H5z"/><circle cx="15.8" cy="13.7" r="1.1" fill="currentColor" stroke="none"/>`);
const other = neutral(svg`<path d="M5 9V6.5A1.5 1.5 0 0 1 6.5 5H9M15 5h2.5A1.5 1.5 0 0 1 19 6.5V9M19 15v2.5a1.5 1.5 0 0 1-1.5 1.5H15M9 19H6.5A1.5 1.5 0 0 1 5 17.5V15M8 12h8"/>`);

const GROUP_ICONS: Record<MethodGroup, SVGTemplateResult> = { wechat, alipay, unionpay, bank, balance, other };

/** The icon's drawing (the `<svg>` element around it is the picker's): QQ has its own, everything else its group's. */
export function methodIcon(view: Pick<MethodView, 'wallet'>, group: MethodGroup): SVGTemplateResult {
  return view.wallet === 'qq' ? qq : GROUP_ICONS[group];
}
