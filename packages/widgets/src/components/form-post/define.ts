import { TsyFormPost } from './tsy-form-post.js';

if (!customElements.get('tsy-form-post')) customElements.define('tsy-form-post', TsyFormPost);

declare global {
  interface HTMLElementTagNameMap {
    'tsy-form-post': TsyFormPost;
  }
}
