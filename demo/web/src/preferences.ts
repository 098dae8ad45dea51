import { h } from './dom.js';

/** The checkout's language and theme, chosen in the page header and kept in localStorage. */
export type Locale = 'zh-CN' | 'en';
export type Theme = 'light' | 'dark' | 'auto';
export interface Preferences {
  readonly locale: Locale;
  readonly theme: Theme;
}

const KEY = 'tsy-demo-preferences';
const LOCALES: readonly (readonly [Locale, string])[] = [
  ['zh-CN', '中文'],
  ['en', 'English'],
];
const THEMES: readonly (readonly [Theme, string])[] = [
  ['light', '浅色 Light'],
  ['dark', '深色 Dark'],
  ['auto', '自动 Auto'],
];

export function loadPreferences(): Preferences {
  let stored: Partial<Preferences> = {};
  try {
    stored = (JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Preferences> | null) ?? {};
  } catch {
    // unreadable: the defaults
  }
  return {
    locale: LOCALES.some(([value]) => value === stored.locale) ? stored.locale! : 'zh-CN',
    theme: THEMES.some(([value]) => value === stored.theme) ? stored.theme! : 'light',
  };
}

function save(preferences: Preferences): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(preferences));
  } catch {
    // private mode: the choice lasts as long as the page
  }
}

/** The page's own colours follow the theme too (`auto`: the system's). */
export function applyPageTheme(theme: Theme): void {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

/** Sets `locale` and `theme` on a `tsy-*` element (`auto`: no attribute, so it follows prefers-color-scheme). */
export function applyToElement(element: HTMLElement, preferences: Preferences): void {
  element.setAttribute('locale', preferences.locale);
  if (preferences.theme === 'auto') element.removeAttribute('theme');
  else element.setAttribute('theme', preferences.theme);
}

/** Two small segmented controls: 中文 | English and light | dark | auto. */
export function preferenceControls(initial: Preferences, onChange: (preferences: Preferences) => void): HTMLElement {
  let current = initial;
  const group = <T extends string>(label: string, name: keyof Preferences, options: readonly (readonly [T, string])[]) => {
    const buttons = options.map(([value, text]) =>
      h(
        'button',
        {
          type: 'button',
          'data-pref': name,
          'data-value': value,
          'aria-pressed': String(current[name] === value),
          onclick: () => {
            current = { ...current, [name]: value };
            save(current);
            for (const button of buttons) button.setAttribute('aria-pressed', String(button.dataset.value === value));
            onChange(current);
          },
        },
        text,
      ),
    );
    return h('div', { class: 'segmented', role: 'group', 'aria-label': label }, ...buttons);
  };
  return h('div', { class: 'prefs' }, group('语言 / Language', 'locale', LOCALES), group('主题 / Theme', 'theme', THEMES));
}
