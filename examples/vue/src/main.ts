import '@tsy/widgets';
import { createApp } from 'vue';
import Checkout from './Checkout.vue';

const order = new URLSearchParams(location.search).get('order') ?? 'SO-1001';
createApp(Checkout, { order }).mount('#app');
