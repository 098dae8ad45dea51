// nativeDecoder() decides on the BarcodeDetector it finds, as the Shape Detection API describes it (Linux Chromium has
// none: each test gives a window-like object its own).
import { expect } from '@open-wc/testing';
import { nativeDecoder, type DetectedBarcode } from './barcode-detector.js';

const box = new DOMRectReadOnly(10, 10, 100, 100);
const corners = [{ x: 10, y: 10 }, { x: 110, y: 10 }, { x: 110, y: 110 }, { x: 10, y: 110 }];

function fakeWindow(formats: string[] | Error, found: DetectedBarcode[] = []): { win: Window; created: { formats?: string[] }[]; images: unknown[] } {
  const created: { formats?: string[] }[] = [];
  const images: unknown[] = [];
  class BarcodeDetector {
    static getSupportedFormats(): Promise<string[]> {
      return formats instanceof Error ? Promise.reject(formats) : Promise.resolve(formats);
    }
    constructor(options: { formats?: string[] } = {}) {
      created.push(options);
    }
    detect(image: unknown): Promise<DetectedBarcode[]> {
      images.push(image);
      return Promise.resolve(found);
    }
  }
  return { win: { BarcodeDetector } as unknown as Window, created, images };
}

describe('nativeDecoder', () => {
  it('none without a BarcodeDetector', async () => {
    expect(await nativeDecoder({} as Window)).to.equal(null);
  });

  it('none when it does not read both QR and Code 128, or cannot say what it reads', async () => {
    expect(await nativeDecoder(fakeWindow(['qr_code', 'ean_13']).win)).to.equal(null);
    expect(await nativeDecoder(fakeWindow(['code_128']).win)).to.equal(null);
    expect(await nativeDecoder(fakeWindow(new DOMException('no', 'NotSupportedError')).win)).to.equal(null);
  });

  it('a decoder for both formats: detect() on the source, other symbologies dropped', async () => {
    const found: DetectedBarcode[] = [
      { rawValue: '9787111111113', format: 'ean_13', boundingBox: box, cornerPoints: corners },
      { rawValue: '284567890123456789', format: 'code_128', boundingBox: box, cornerPoints: corners },
      { rawValue: '284567890123456789', format: 'qr_code', boundingBox: box, cornerPoints: corners },
    ];
    const { win, created, images } = fakeWindow(['aztec', 'code_128', 'ean_13', 'qr_code'], found);
    const decoder = (await nativeDecoder(win))!;
    expect(decoder.kind).to.equal('native');
    expect(created).to.deep.equal([{ formats: ['qr_code', 'code_128'] }]);
    const canvas = document.createElement('canvas');
    expect(await decoder.decode(canvas)).to.deep.equal([
      { text: '284567890123456789', format: 'code_128' },
      { text: '284567890123456789', format: 'qr_code' },
    ]);
    expect(images).to.deep.equal([canvas]);
  });
});
