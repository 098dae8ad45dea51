import { css } from 'lit';

/**
 * The theme: every colour, radius, font and spacing a component uses is a `--tsy-*` custom property with a default here,
 * so a page themes the widgets from outside (custom properties inherit through shadow roots) without any global CSS.
 * Dark defaults apply with `prefers-color-scheme: dark` or `theme="dark"` on the component; `theme="light"` pins light.
 */
/** Dark defaults (the page's own --tsy-* values still win). */
const darkVars = css`
  --_bg: var(--tsy-color-background, #17191c);
  --_surface: var(--tsy-color-surface, #212429);
  --_text: var(--tsy-color-text, #eceef1);
  --_muted: var(--tsy-color-text-muted, #a9afb8);
  --_border: var(--tsy-color-border, #3a3f47);
  --_primary: var(--tsy-color-primary, #6ea2ff);
  --_on-primary: var(--tsy-color-on-primary, #0b1220);
  --_success: var(--tsy-color-success, #4cc27a);
  --_danger: var(--tsy-color-danger, #ff7a6e);
  --_warning: var(--tsy-color-warning, #f0b44c);
  --_focus: var(--tsy-color-focus, #6ea2ff);
  color-scheme: dark;
`;

export const tokens = css`
  :host {
    --_bg: var(--tsy-color-background, #ffffff);
    --_surface: var(--tsy-color-surface, #f6f7f9);
    --_text: var(--tsy-color-text, #1d2129);
    --_muted: var(--tsy-color-text-muted, #5c6370);
    --_border: var(--tsy-color-border, #d9dce1);
    --_primary: var(--tsy-color-primary, #1a5fd0);
    --_on-primary: var(--tsy-color-on-primary, #ffffff);
    --_success: var(--tsy-color-success, #17803d);
    --_danger: var(--tsy-color-danger, #c4281c);
    --_warning: var(--tsy-color-warning, #9a5b00);
    --_focus: var(--tsy-color-focus, #1a5fd0);
    --_radius: var(--tsy-radius, 10px);
    --_space: var(--tsy-spacing, 16px);
    --_font: var(--tsy-font-family, system-ui, -apple-system, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif);
    --_font-size: var(--tsy-font-size, 15px);
    color-scheme: light;
    font-family: var(--_font);
    font-size: var(--_font-size);
    color: var(--_text);
    line-height: 1.5;
  }

  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${darkVars}
    }
  }

  :host([theme='dark']) {
    ${darkVars}
  }

  :host([hidden]) {
    display: none !important;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  button {
    font: inherit;
    cursor: pointer;
    border-radius: calc(var(--_radius) * 0.8);
    padding: calc(var(--_space) * 0.5) var(--_space);
    border: 1px solid var(--_border);
    background: var(--_bg);
    color: var(--_text);
  }
  button.primary {
    background: var(--_primary);
    border-color: var(--_primary);
    color: var(--_on-primary);
  }
  button:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }

  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  @media (prefers-reduced-motion: reduce) {
    * {
      animation: none !important;
      transition: none !important;
    }
  }
`;
