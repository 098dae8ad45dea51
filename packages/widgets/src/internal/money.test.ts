import { expect } from '@open-wc/testing';
import { formatFen } from './money.js';

describe('formatFen', () => {
  it('formats fen as yuan without float drift', () => {
    expect(formatFen(1234, 'zh-CN')).to.equal('¥12.34');
    expect(formatFen(1, 'en')).to.equal('¥0.01');
    expect(formatFen(100000, 'zh-CN')).to.equal('¥1,000.00');
    expect(formatFen(1999, 'en')).to.equal('¥19.99');
  });
});
