// @ts-check
import '@tsy/widgets';

const checkout = document.querySelector('tsy-checkout');
// Properties, set after the import defined the element; the order id comes from the page's URL (?order=…).
checkout.locale = 'en';
checkout.order = new URLSearchParams(location.search).get('order') ?? 'SO-1001';

checkout.addEventListener('tsy-success', (event) => {
  const { bizOrderNo, amount, settlement } = event.detail;
  document.querySelector('#message').textContent = `Paid ¥${(amount / 100).toFixed(2)} (${bizOrderNo}, ${settlement})`;
});
