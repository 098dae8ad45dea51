import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { LocalizeController } from '../controllers/localize-controller.js';

/**
 * What every tsy element shares: the `locale` and `theme` attributes, and texts from the locale's catalogue — which
 * `updateComplete` waits for, so code that awaits an element sees real text.
 */
export class TsyElement extends LitElement {
  /** `zh-CN` or `en`; defaults to the nearest `lang` or the browser's preference. */
  @property({ reflect: true }) locale: string | undefined;
  /** `light` or `dark`; defaults to the system preference (`prefers-color-scheme`). */
  @property({ reflect: true }) theme: 'light' | 'dark' | undefined;

  protected readonly localize = new LocalizeController(this);

  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    if (this.localize.hasMessages) return done;
    await this.localize.ready;
    return super.getUpdateComplete();
  }
}
