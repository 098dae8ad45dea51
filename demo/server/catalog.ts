/** The demo shop's products. Prices are integer fen (¥58.00 = 5800) and live only on the server. */
export interface Product {
  readonly id: string;
  readonly name: string;
  readonly nameEn: string;
  /** fen */
  readonly price: number;
  /** One character for the product's tile (the demo ships no images, and needs no emoji font). */
  readonly icon: string;
}

export const PRODUCTS: readonly Product[] = [
  { id: 'coffee', name: '云南小粒咖啡豆 250g', nameEn: 'Yunnan coffee beans', price: 5800, icon: '咖' },
  { id: 'longjing', name: '西湖龙井 50g', nameEn: 'Longjing green tea', price: 12800, icon: '茶' },
  { id: 'mug', name: '青瓷马克杯', nameEn: 'Celadon mug', price: 3990, icon: '瓷' },
  { id: 'notebook', name: '宣纸笔记本', nameEn: 'Xuan paper notebook', price: 1550, icon: '纸' },
  { id: 'chopsticks', name: '竹筷礼盒', nameEn: 'Bamboo chopsticks set', price: 2990, icon: '筷' },
  { id: 'sticker', name: '熊猫贴纸(测试价)', nameEn: 'Panda sticker (test price)', price: 1, icon: '熊' },
];

export const productById = (id: string): Product | undefined => PRODUCTS.find((product) => product.id === id);

/** Limits of one cart: enough for a demo, small enough that an order amount stays far from any limit. */
export const MAX_QUANTITY = 99;
export const MAX_LINES = PRODUCTS.length;
