/*
 * The YunST sandbox's stand-in for the two wallet JS bridges, so a desktop browser can try JSAPI payments:
 *   WeixinJSBridge.invoke('getBrandWCPayRequest', {appId, timeStamp, nonceStr, package, signType, paySign}, callback)
 *     callback({err_msg: 'get_brand_wcpay_request:ok' | ':cancel' | ':fail', err_desc?})
 *   AlipayJSBridge.call('tradePay', {tradeNO}, callback)
 *     callback({resultCode: '9000' | '8000' | '6001' | '6002' | '4000' | '6004', memo?})
 * Like the real apps, the bridge is missing when the page's scripts first run: it appears after a short delay and is
 * announced by `WeixinJSBridgeReady` / `AlipayJSBridgeReady` on document. `?bridge=weixin|alipay|both` (default both),
 * `?delay=ms` (default 300). Written for pages under `script-src 'self'; style-src 'self'`: plain DOM, no inline style,
 * no eval, and every request goes to the sandbox next to this script (same origin when /sandbox is proxied).
 * Never part of a widget: a page loads it only when it is served by, or proxies, the sandbox.
 */
(function () {
  'use strict';
  var current = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  var self = new URL(current ? current.src : '/sandbox/jsbridge.js', location.href);
  var which = self.searchParams.get('bridge') || 'both';
  var requestedDelay = Number(self.searchParams.get('delay'));
  var delay = self.searchParams.has('delay') && requestedDelay >= 0 && requestedDelay <= 10000 ? requestedDelay : 300;
  var endpoint = function (/** @type {string} */ path) {
    return new URL(path, self).href;
  };
  var sheetOpen = false;

  function addStylesheet() {
    var href = endpoint('jsbridge.css');
    if (document.querySelector('link[data-tsy-jsbridge]')) return;
    var link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.setAttribute('data-tsy-jsbridge', '');
    (document.head || document.documentElement).appendChild(link);
  }

  /**
   * @param {string} tag
   * @param {string} className
   * @param {string} [text]
   * @param {string} [testid]
   */
  function el(tag, className, text, testid) {
    var node = document.createElement(tag);
    node.className = className;
    if (text !== undefined) node.textContent = text;
    if (testid) node.setAttribute('data-testid', testid);
    return node;
  }

  /** @param {string} path @param {unknown} body @returns {Promise<any>} */
  function post(path, body) {
    return fetch(endpoint(path), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) throw new Error(answer && answer.message ? answer.message : 'HTTP ' + response.status);
        return answer;
      });
    });
  }

  /**
   * Shows the wallet's pay sheet and resolves with the payer's choice; the sheet stays (its buttons disabled) until `close`.
   * @param {{wallet: 'wechat' | 'alipay', merchantName: string, amountText: string, goods: string, bizOrderNo: string, method: string}} sheet
   * @param {{outcome: string, label: string, testid: string, kind: string}[]} buttons
   * @returns {{choice: Promise<string>, close: () => void}}
   */
  function showSheet(sheet, buttons) {
    addStylesheet();
    var overlay = el('div', 'tsy-jsbridge-overlay');
    var panel = el('div', 'tsy-jsbridge-sheet tsy-jsbridge-' + sheet.wallet, undefined, 'jsbridge-sheet');
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-modal', 'true');
    panel.setAttribute('aria-label', sheet.wallet === 'wechat' ? '微信支付' : '支付宝');
    var brand = el('div', 'tsy-jsbridge-brand', sheet.wallet === 'wechat' ? '微信支付 WeChat Pay' : '支付宝 Alipay');
    brand.appendChild(el('span', 'tsy-jsbridge-muted', ' (sandbox)'));
    panel.appendChild(brand);
    panel.appendChild(el('div', 'tsy-jsbridge-payee', sheet.merchantName, 'jsbridge-payee'));
    panel.appendChild(el('div', 'tsy-jsbridge-amount', sheet.amountText, 'jsbridge-amount'));
    panel.appendChild(el('div', 'tsy-jsbridge-muted', sheet.goods + ' · ' + sheet.bizOrderNo));
    var actions = el('div', 'tsy-jsbridge-actions');
    /** @type {HTMLButtonElement[]} */
    var nodes = [];
    var choice = new Promise(function (resolve) {
      buttons.forEach(function (button) {
        var node = /** @type {HTMLButtonElement} */ (el('button', 'tsy-jsbridge-button tsy-jsbridge-' + button.kind, button.label, button.testid));
        node.type = 'button';
        node.addEventListener('click', function () {
          nodes.forEach(function (other) {
            other.disabled = true;
          });
          panel.setAttribute('aria-busy', 'true');
          resolve(button.outcome);
        });
        nodes.push(node);
        actions.appendChild(node);
      });
    });
    panel.appendChild(actions);
    overlay.appendChild(panel);
    document.body.appendChild(overlay);
    if (nodes[0]) nodes[0].focus();
    return {
      choice: /** @type {Promise<string>} */ (choice),
      close: function () {
        overlay.remove();
      },
    };
  }

  /**
   * One payment through a sheet: ask the sandbox what to show, let the payer choose, post the choice, answer the callback.
   * @param {string} path
   * @param {(outcome?: string) => unknown} body
   * @param {{outcome: string, label: string, testid: string, kind: string}[]} buttons
   * @param {(error: Error) => unknown} onError what the callback gets when the sandbox cannot be reached
   * @param {unknown} callback
   */
  function pay(path, body, buttons, onError, callback) {
    var answer = function (/** @type {unknown} */ res) {
      // The apps answer on a later task, never inside invoke/call.
      setTimeout(function () {
        if (typeof callback === 'function') callback(res);
      }, 0);
    };
    if (sheetOpen) return answer(onError(new Error('上一笔支付尚未完成 / a payment is already in progress')));
    sheetOpen = true;
    /** @type {{close: () => void} | undefined} */
    var shown;
    post(path, body())
      .then(function (first) {
        if (first.res) return first.res;
        shown = showSheet(first.sheet, buttons);
        return shown.choice.then(function (outcome) {
          return post(path, body(outcome)).then(function (settled) {
            return settled.res;
          });
        });
      })
      .catch(onError)
      .then(function (res) {
        if (shown) shown.close();
        sheetOpen = false;
        answer(res);
      });
  }

  function defineWeixin() {
    if (window.WeixinJSBridge) return;
    window.WeixinJSBridge = {
      /** @param {string} name @param {unknown} params @param {unknown} callback */
      invoke: function (name, params, callback) {
        if (name !== 'getBrandWCPayRequest') {
          setTimeout(function () {
            if (typeof callback === 'function') callback({ err_msg: 'system:function_not_exist' });
          }, 0);
          return;
        }
        pay(
          'jsbridge/weixin',
          function (outcome) {
            return outcome ? { params: params, outcome: outcome } : { params: params };
          },
          [
            { outcome: 'pay', label: '支付', testid: 'jsbridge-pay', kind: 'primary' },
            { outcome: 'cancel', label: '取消', testid: 'jsbridge-cancel', kind: 'secondary' },
            { outcome: 'fail', label: '失败', testid: 'jsbridge-fail', kind: 'danger' },
          ],
          function (error) {
            return { err_msg: 'get_brand_wcpay_request:fail', err_desc: error.message };
          },
          callback,
        );
      },
    };
    document.dispatchEvent(new Event('WeixinJSBridgeReady'));
  }

  function defineAlipay() {
    if (window.AlipayJSBridge) return;
    window.AlipayJSBridge = {
      /** @param {string} name @param {unknown} options @param {unknown} callback */
      call: function (name, options, callback) {
        if (typeof options === 'function') {
          callback = options;
          options = {};
        }
        if (name !== 'tradePay') {
          setTimeout(function () {
            if (typeof callback === 'function') callback({ error: 1, errorMessage: '接口不存在' });
          }, 0);
          return;
        }
        var tradeNO = options && typeof options === 'object' ? /** @type {{tradeNO?: unknown}} */ (options).tradeNO : undefined;
        pay(
          'jsbridge/alipay',
          function (outcome) {
            return outcome ? { tradeNO: tradeNO, outcome: outcome } : { tradeNO: tradeNO };
          },
          [
            { outcome: 'pay', label: '支付', testid: 'jsbridge-pay', kind: 'primary' },
            { outcome: 'cancel', label: '取消', testid: 'jsbridge-cancel', kind: 'secondary' },
            { outcome: 'fail', label: '失败', testid: 'jsbridge-fail', kind: 'danger' },
            { outcome: 'processing', label: '处理中', testid: 'jsbridge-processing', kind: 'secondary' },
            { outcome: 'network', label: '网络错误', testid: 'jsbridge-network-error', kind: 'secondary' },
            { outcome: 'unknown', label: '结果未知', testid: 'jsbridge-unknown', kind: 'secondary' },
          ],
          function () {
            return { resultCode: '6002', memo: '网络连接出错 / network error' };
          },
          callback,
        );
      },
    };
    document.dispatchEvent(new Event('AlipayJSBridgeReady'));
  }

  setTimeout(function () {
    if (which === 'weixin' || which === 'both') defineWeixin();
    if (which === 'alipay' || which === 'both') defineAlipay();
  }, delay);
})();
