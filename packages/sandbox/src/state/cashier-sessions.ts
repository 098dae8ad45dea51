import { newToken } from '../ids.js';

/**
 * A verified visit to a front page (gateway §4.2.9 or password §4.2.10). The signed request is checked once on entry; the
 * page's own form then posts back with the session id, so the payer's clicks need no signature of their own.
 */
export interface CashierSession {
  readonly id: string;
  readonly page: 'gateway' | 'password';
  readonly bizOrderNo: string;
  /** Where the browser goes when done: the order's frontUrl, or the password page's jumpUrl. */
  readonly returnUrl: string | undefined;
  /** A GET entry returns by 302 with a query; a POST entry by an auto-submitted POST form. */
  readonly returnMethod: 'GET' | 'POST';
  /** The SMS code still has to be typed on the page (it did not come with the request). */
  readonly codeOnPage: boolean;
}

export class CashierSessions {
  readonly #sessions = new Map<string, CashierSession>();

  open(fields: Omit<CashierSession, 'id'>): CashierSession {
    const session = { ...fields, id: newToken() };
    this.#sessions.set(session.id, session);
    return session;
  }

  get(id: string): CashierSession | undefined {
    return this.#sessions.get(id);
  }

  close(id: string): void {
    this.#sessions.delete(id);
  }
}
