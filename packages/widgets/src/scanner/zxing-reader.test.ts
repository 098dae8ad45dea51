// The zxing chunk's decoder on canvases: a QR drawn by `qrcode` (the kit's own encoder), a Code 128 drawn by JsBarcode.
import { expect } from '@open-wc/testing';
import JsBarcode from 'jsbarcode';
import QRCode from 'qrcode';
import { zxingDecoder } from './zxing-reader.js';

describe('zxingDecoder', () => {
  it('reads a QR', async () => {
    const canvas = document.createElement('canvas');
    await QRCode.toCanvas(canvas, '284567890123456789', { margin: 4, scale: 6 });
    expect(await zxingDecoder().decode(canvas)).to.deep.equal([{ text: '284567890123456789', format: 'qr_code' }]);
  });

  it('reads a Code 128', async () => {
    const canvas = document.createElement('canvas');
    JsBarcode(canvas, '6223456789012345678', { format: 'CODE128', width: 2, height: 80, displayValue: false, margin: 20 });
    expect(await zxingDecoder().decode(canvas)).to.deep.equal([{ text: '6223456789012345678', format: 'code_128' }]);
  });

  it('nothing in a blank frame or a frame without size; one decoder reads frame after frame', async () => {
    const decoder = zxingDecoder();
    const blank = document.createElement('canvas');
    Object.assign(blank, { width: 320, height: 240 });
    const context = blank.getContext('2d')!;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, 320, 240);
    expect(await decoder.decode(blank)).to.deep.equal([]);
    expect(await decoder.decode(document.createElement('video'))).to.deep.equal([]);
    const qr = document.createElement('canvas');
    await QRCode.toCanvas(qr, '134567890123456789', { margin: 4, scale: 6 });
    expect(await decoder.decode(qr)).to.deep.equal([{ text: '134567890123456789', format: 'qr_code' }]);
  });
});
