import { PAYMENT_CODE_FORMATS, type DecodedCode, type FrameDecoder, type PaymentCodeFormat } from './frame-decoder.js';

/** The Shape Detection API's barcode detector (WICG), as far as the scanner uses it. Not in TypeScript's DOM types yet. */
export interface DetectedBarcode {
  readonly rawValue: string;
  readonly format: string;
  readonly boundingBox: DOMRectReadOnly;
  readonly cornerPoints: readonly { readonly x: number; readonly y: number }[];
}
export interface BarcodeDetectorLike {
  detect(image: ImageBitmapSource): Promise<DetectedBarcode[]>;
}
export interface BarcodeDetectorConstructor {
  new (options?: { formats?: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

const isPaymentFormat = (format: string): format is PaymentCodeFormat => (PAYMENT_CODE_FORMATS as readonly string[]).includes(format);

/**
 * The browser's own `BarcodeDetector` when it exists and reads both QR and Code 128 (Chrome on macOS, Android, ChromeOS;
 * not on Linux or Windows): faster than any script and nothing to download. Null otherwise, and the scanner loads zxing.
 */
export async function nativeDecoder(win: Window = window): Promise<FrameDecoder | null> {
  const Detector = (win as Window & { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;
  if (typeof Detector !== 'function' || typeof Detector.getSupportedFormats !== 'function') return null;
  let supported: string[];
  try {
    supported = await Detector.getSupportedFormats();
  } catch {
    return null;
  }
  if (!Array.isArray(supported) || !PAYMENT_CODE_FORMATS.every((format) => supported.includes(format))) return null;
  const detector = new Detector({ formats: [...PAYMENT_CODE_FORMATS] });
  return {
    kind: 'native',
    async decode(source): Promise<DecodedCode[]> {
      const found = await detector.detect(source);
      return found.filter((barcode) => isPaymentFormat(barcode.format) && typeof barcode.rawValue === 'string').map((barcode) => ({ text: barcode.rawValue, format: barcode.format as PaymentCodeFormat }));
    },
  };
}
