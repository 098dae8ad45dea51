// zxing's deep module files are ES modules in a package without "type": "module", so TypeScript (NodeNext) would read their
// declarations as CommonJS and miss the default export. Typed here through the package's own declarations instead.
declare module '@zxing/library/es2015/core/BinaryBitmap.js' {
  const BinaryBitmap: typeof import('@zxing/library').BinaryBitmap;
  export default BinaryBitmap;
}
declare module '@zxing/library/es2015/core/ChecksumException.js' {
  const ChecksumException: typeof import('@zxing/library').ChecksumException;
  export default ChecksumException;
}
declare module '@zxing/library/es2015/core/FormatException.js' {
  const FormatException: typeof import('@zxing/library').FormatException;
  export default FormatException;
}
declare module '@zxing/library/es2015/core/NotFoundException.js' {
  const NotFoundException: typeof import('@zxing/library').NotFoundException;
  export default NotFoundException;
}
declare module '@zxing/library/es2015/core/RGBLuminanceSource.js' {
  const RGBLuminanceSource: typeof import('@zxing/library').RGBLuminanceSource;
  export default RGBLuminanceSource;
}
declare module '@zxing/library/es2015/core/common/HybridBinarizer.js' {
  const HybridBinarizer: typeof import('@zxing/library').HybridBinarizer;
  export default HybridBinarizer;
}
declare module '@zxing/library/es2015/core/oned/Code128Reader.js' {
  const Code128Reader: typeof import('@zxing/library').Code128Reader;
  export default Code128Reader;
}
declare module '@zxing/library/es2015/core/qrcode/QRCodeReader.js' {
  const QRCodeReader: typeof import('@zxing/library').QRCodeReader;
  export default QRCodeReader;
}
