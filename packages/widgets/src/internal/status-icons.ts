import { svg } from 'lit';

/** The result marks shared by the checkout and the QR view (drawn in a 48×48 box with a circle around them). */
export const STATUS_ICONS = {
  success: svg`<path d="M14 25l7 7 14-16" fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>`,
  failed: svg`<path d="M16 16l16 16M32 16L16 32" fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round"/>`,
  expired: svg`<path d="M24 14v11l7 4" fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round"/>`,
};
