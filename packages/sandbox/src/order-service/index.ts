export { agentCollectApply, consumeApply } from './apply.js';
export { getOrderDetail } from './get-order-detail.js';
export { pay } from './pay.js';
export { resendPaySMS } from './resend-pay-sms.js';
export { refund } from './refund.js';
