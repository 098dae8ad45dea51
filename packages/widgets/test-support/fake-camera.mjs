// Videos for Chromium's fake camera (`--use-file-for-fake-video-capture`): what a webcam at a cashier desk sees when the
// payer holds up a payment code. Rendered here, in Node, from the codes themselves — zxing's QRCodeWriter for the QR,
// JsBarcode's encoder for Code 128 (zxing's JS port has no Code 128 writer) — and written as YUV4MPEG2 (4:2:0), the
// format Chromium's file capture device reads without a decoder. The browser then decodes what it sees, as it would.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const { QRCodeWriter, BarcodeFormat, EncodeHintType } = require('@zxing/library');
const JsBarcode = require('jsbarcode');

const WIDTH = 640;
const HEIGHT = 480;
/** Studio-range luma for white paper / a lit phone screen and for black ink. */
const WHITE = 235;
const BLACK = 16;

/** The codes the fake cameras show: a WeChat code as QR, a UnionPay code (odd length: Code 128 C with a shift) as Code 128. */
export const FAKE_CAMERA_CODES = { qr: '134567890123456789', code128: '6223456789012345678' };

/** A luma plane with `dark(x, y)` drawn black on white. */
function lumaPlane(dark) {
  const plane = Buffer.alloc(WIDTH * HEIGHT, WHITE);
  for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) if (dark(x, y)) plane[y * WIDTH + x] = BLACK;
  return plane;
}

/** The QR of `text`, 10 px a module, centred. */
function qrPlane(text) {
  const matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, new Map([[EncodeHintType.MARGIN, 0]]));
  const scale = 10;
  const size = matrix.getWidth() * scale;
  const left = Math.floor((WIDTH - size) / 2);
  const top = Math.floor((HEIGHT - size) / 2);
  return lumaPlane((x, y) => x >= left && y >= top && x < left + size && y < top + size && matrix.get(Math.floor((x - left) / scale), Math.floor((y - top) / scale)));
}

/** The Code 128 of `text`, 3 px a module, 200 px tall, centred. */
function code128Plane(text) {
  const encoded = {};
  JsBarcode(encoded, text, { format: 'CODE128' });
  const modules = encoded.encodings.map((encoding) => encoding.data).join('');
  const scale = 3;
  const width = modules.length * scale;
  if (width > WIDTH - 60) throw new Error(`the barcode of ${text} does not fit in ${WIDTH}px`);
  const left = Math.floor((WIDTH - width) / 2);
  const top = (HEIGHT - 200) / 2;
  return lumaPlane((x, y) => x >= left && x < left + width && y >= top && y < top + 200 && modules[Math.floor((x - left) / scale)] === '1');
}

/** Writes `frames` frames of the plane, grey chroma, at 10 fps (the device loops the file). */
function writeY4m(file, luma, frames = 5) {
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420\n`), ...Array(frames).fill(frame)]));
  return file;
}

/**
 * Writes the video of one fake camera to `file` — `kind` 'qr' or 'code128', showing `text` (by default the code of
 * FAKE_CAMERA_CODES; an end-to-end test passes a fresh one, since the BFF takes a payment code only once) — and returns
 * the file, for `--use-file-for-fake-video-capture`.
 */
export function writeFakeCameraVideo(kind, file, text = FAKE_CAMERA_CODES[kind]) {
  if (kind !== 'qr' && kind !== 'code128') throw new Error(`unknown fake camera ${kind}`);
  return writeY4m(file, kind === 'qr' ? qrPlane(text) : code128Plane(text));
}
