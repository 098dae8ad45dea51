import { createRoot } from 'react-dom/client';
import { Checkout } from './Checkout.js';

const order = new URLSearchParams(location.search).get('order') ?? 'SO-1001';
createRoot(document.getElementById('root')!).render(<Checkout order={order} />);
