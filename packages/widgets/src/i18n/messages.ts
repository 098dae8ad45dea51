/**
 * The widgets' own texts, one catalogue per language, each a chunk of its own: only the language in use is fetched, and
 * while the order loads. The platform's 150 error texts are separate catalogues again (yunst-errors.*.ts), fetched only
 * when an error is shown.
 */
import type { MessageKey } from './messages.zh-CN.js';

export type { MessageKey };
export type Locale = 'zh-CN' | 'en';
export type Messages = Readonly<Record<MessageKey, string>>;

const loaded: Partial<Record<Locale, Messages>> = {};
const loading: Partial<Record<Locale, Promise<Messages>>> = {};

/** The catalogue of a locale, fetched once. */
export function loadMessages(locale: Locale): Promise<Messages> {
  loading[locale] ??= (locale === 'en' ? import('./messages.en.js') : import('./messages.zh-CN.js')).then((module) => (loaded[locale] = module.default));
  return loading[locale]!;
}

/** The catalogue if it has arrived. */
export function messagesIfLoaded(locale: Locale): Messages | undefined {
  return loaded[locale];
}

/** `{name}` placeholders filled from params. */
export function format(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
