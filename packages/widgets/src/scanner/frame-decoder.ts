/** The two symbologies wallets show a payment code as: a Code 128 barcode above a QR code, both of the same digits. */
export const PAYMENT_CODE_FORMATS = ['qr_code', 'code_128'] as const;
export type PaymentCodeFormat = (typeof PAYMENT_CODE_FORMATS)[number];

export interface DecodedCode {
  readonly text: string;
  readonly format: PaymentCodeFormat;
}

/** Reads the codes in one frame of a video (or an image); an empty list when there is none. May reject on a frame not ready. */
export interface FrameDecoder {
  /** `native` (the browser's BarcodeDetector) or `zxing` (the lazy reader). */
  readonly kind: 'native' | 'zxing';
  decode(source: HTMLVideoElement | HTMLCanvasElement): Promise<DecodedCode[]>;
}
