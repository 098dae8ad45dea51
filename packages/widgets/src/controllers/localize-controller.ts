import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { formatFen } from '../internal/money.js';
import { format, loadMessages, messagesIfLoaded, type Locale, type MessageKey, type Messages } from '../i18n/messages.js';

type Host = ReactiveControllerHost & HTMLElement & { locale?: string | undefined };

const catalogues: Partial<Record<Locale, Promise<Record<string, string>>>> = {};

/** The platform's error texts for a locale, fetched once on first need (a separate chunk). */
function yunstErrors(locale: Locale): Promise<Record<string, string>> {
  catalogues[locale] ??= (locale === 'en' ? import('../i18n/yunst-errors.en.js') : import('../i18n/yunst-errors.zh-CN.js')).then((m) => m.default);
  return catalogues[locale]!;
}

/** The locale a text says it is in, or the browser's preference: Chinese → zh-CN, anything else → en. */
export function resolveLocale(requested: string | undefined | null, preferred: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages): Locale {
  const tag = (requested || preferred[0] || 'zh-CN').toLowerCase();
  return tag.startsWith('zh') ? 'zh-CN' : 'en';
}

/**
 * Texts, amounts and times in the host's language: its `locale` property, else the nearest `lang` attribute, else the
 * browser's preference. One mechanism for every component.
 */
export class LocalizeController implements ReactiveController {
  constructor(private readonly host: Host) {
    host.addController(this);
  }

  hostConnected(): void {
    void this.ready;
  }

  /**
   * Resolves once the catalogue of the current locale is here. Components fold it into `updateComplete`, so a caller that
   * awaits the element sees real text.
   */
  get ready(): Promise<void> {
    const locale = this.locale;
    if (messagesIfLoaded(locale)) return Promise.resolve();
    return loadMessages(locale).then(() => {
      if (this.locale === locale) this.host.requestUpdate();
    });
  }

  get hasMessages(): boolean {
    return messagesIfLoaded(this.locale) !== undefined;
  }

  /** The current catalogue; empty texts for the moment it takes to fetch it (the first paint is a spinner anyway). */
  private get messages(): Partial<Messages> {
    const messages = messagesIfLoaded(this.locale);
    if (!messages) void this.ready;
    return messages ?? {};
  }

  /** Whether the catalogue has a text for `key` (for keys built from server values, e.g. reasons). */
  has(key: string): key is MessageKey {
    return key in this.messages;
  }

  get locale(): Locale {
    const explicit = this.host.locale || this.host.closest?.('[lang]')?.getAttribute('lang');
    return resolveLocale(explicit);
  }

  term(key: MessageKey, params?: Record<string, string | number>): string {
    return format(this.messages[key] ?? '', params);
  }

  /** A kit method's display name, or the raw key for a method this version has no name for. */
  methodName(method: string): string {
    return (this.messages as Record<string, string>)[`method.${method}`] ?? method;
  }

  money(fen: number): string {
    return formatFen(fen, this.locale);
  }

  /** mm:ss */
  duration(seconds: number): string {
    const s = Math.max(0, Math.ceil(seconds));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  }

  /**
   * The text for an API error: the kit's own message for a known kit code, the spec's text for a platform code
   * (`yunst.40003`), else what the server said (already in the request's language).
   */
  async errorText(code: string, serverMessage: string): Promise<string> {
    await this.ready;
    const own = (this.messages as Record<string, string>)[`error.${code}`];
    if (own) return own;
    const platform = /^yunst\.(\d+)$/.exec(code);
    if (platform) {
      const text = (await yunstErrors(this.locale))[platform[1]!];
      if (text) return serverMessage && this.locale === 'zh-CN' ? serverMessage : text;
    }
    return serverMessage || this.term('error');
  }
}
