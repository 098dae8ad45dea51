// The scanner's fallback reader, a lazy chunk of its own: zxing's QR and Code 128 readers only, through deep imports
// (the package's index — and @zxing/browser on top of it — pulls every symbology in: ~136 KB gzip against ~25 here).
// The es2015 build: native classes, smaller than the esm build's down-levelled ones.
import BinaryBitmap from '@zxing/library/es2015/core/BinaryBitmap.js';
import ChecksumException from '@zxing/library/es2015/core/ChecksumException.js';
import FormatException from '@zxing/library/es2015/core/FormatException.js';
import NotFoundException from '@zxing/library/es2015/core/NotFoundException.js';
import RGBLuminanceSource from '@zxing/library/es2015/core/RGBLuminanceSource.js';
import HybridBinarizer from '@zxing/library/es2015/core/common/HybridBinarizer.js';
import Code128Reader from '@zxing/library/es2015/core/oned/Code128Reader.js';
import QRCodeReader from '@zxing/library/es2015/core/qrcode/QRCodeReader.js';
import type { BinaryBitmap as Bitmap } from '@zxing/library';
import type { DecodedCode, FrameDecoder, PaymentCodeFormat } from './frame-decoder.js';

/** Frames are read at most this wide: a payment code held up to a webcam needs no more, and decoding stays ~10–30 ms. */
const MAX_WIDTH = 1280;

interface Reader {
  decode(image: Bitmap): { getText(): string };
  reset(): void;
}

/** A frame without a readable code: the usual case, not an error. */
const nothingHere = (error: unknown) => error instanceof NotFoundException || error instanceof ChecksumException || error instanceof FormatException;

/** A decoder over zxing: each frame drawn to a canvas, to luminance, binarised, then QR tried first, then Code 128. */
export function zxingDecoder(doc: Document = document): FrameDecoder {
  const canvas = doc.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2d canvas context');
  const readers: [PaymentCodeFormat, Reader][] = [
    ['qr_code', new QRCodeReader()],
    ['code_128', new Code128Reader()],
  ];
  return {
    kind: 'zxing',
    async decode(source): Promise<DecodedCode[]> {
      const sourceWidth = source instanceof HTMLVideoElement ? source.videoWidth : source.width;
      const sourceHeight = source instanceof HTMLVideoElement ? source.videoHeight : source.height;
      if (!sourceWidth || !sourceHeight) return [];
      const scale = Math.min(1, MAX_WIDTH / sourceWidth);
      const width = Math.round(sourceWidth * scale);
      const height = Math.round(sourceHeight * scale);
      if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
      context.drawImage(source, 0, 0, width, height);
      const rgba = context.getImageData(0, 0, width, height).data;
      const luminance = new Uint8ClampedArray(width * height);
      // ITU-R BT.601 weights in integer arithmetic.
      for (let i = 0, p = 0; i < luminance.length; i++, p += 4) luminance[i] = (rgba[p]! * 77 + rgba[p + 1]! * 150 + rgba[p + 2]! * 29) >> 8;
      const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luminance, width, height)));
      for (const [format, reader] of readers) {
        try {
          return [{ text: reader.decode(bitmap).getText(), format }];
        } catch (error) {
          if (!nothingHere(error)) throw error;
        } finally {
          reader.reset();
        }
      }
      return [];
    },
  };
}
