import bwipjs from 'bwip-js';
import QRCode from 'qrcode';
import { raw, type SafeHtml } from './html.js';

/**
 * A payment code the way wallets show it: a QR code and a Code 128 barcode of the same digits, drawn on the server as
 * inline SVG (the pages' policy allows no scripts or images from anywhere), large enough to scan from another screen.
 */
export async function qrSvg(text: string): Promise<SafeHtml> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } });
  return raw(svg.replace('<svg ', '<svg role="img" aria-label="QR" class="qr" '));
}

export function code128Svg(text: string): SafeHtml {
  // Digits only: bwip-js packs them in code set C. The quiet zone (10 modules each side) is part of the symbol.
  const svg = bwipjs.toSVG({ bcid: 'code128', text, scale: 2, height: 14, includetext: true, textxalign: 'center', paddingwidth: 20, paddingheight: 6, backgroundcolor: 'ffffff' });
  return raw(svg.replace('<svg ', '<svg role="img" aria-label="Code 128" class="code128" '));
}
