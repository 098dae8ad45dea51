// CODEPAY_VSP through the webcam, this Chromium's only camera showing a payment code as a Code 128 barcode.
import { cameraPaymentTests } from '../../test-support/camera-payment.js';

cameraPaymentTests('code128');
