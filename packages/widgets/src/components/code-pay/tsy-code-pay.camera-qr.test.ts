// CODEPAY_VSP through the webcam, this Chromium's only camera showing a payment code as a QR.
import { cameraPaymentTests } from '../../test-support/camera-payment.js';

cameraPaymentTests('qr');
