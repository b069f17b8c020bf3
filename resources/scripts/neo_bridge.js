// Odis Clinic Agent: the bridge prelude. Injected at document creation into Qt's ApplicationWorld (an
// isolated JavaScript world: Neo's own scripts cannot see or replace anything defined here) after
// Qt's qwebchannel.js. It opens one QWebChannel per document and runs the agent's page scripts,
// reporting each result to the C++ PageBridge with the call id the agent chose.
(function () {
    'use strict';
    if (typeof window.__odisCall === 'function') {
        return;
    }
    var bridgePromise = null;

    function bridge() {
        if (bridgePromise === null) {
            bridgePromise = new Promise(function (resolve) {
                new QWebChannel(qt.webChannelTransport, function (channel) {
                    resolve(channel.objects.odisBridge);
                });
            });
        }
        return bridgePromise;
    }

    function errorText(error) {
        if (error && typeof error.message === 'string') {
            return error.name + ': ' + error.message;
        }
        return String(error);
    }

    // Returns false at once when this document has no channel (the agent then reports a script
    // failure instead of waiting for a result that cannot come).
    Object.defineProperty(window, '__odisCall', {
        value: function (callId, fn, args) {
            if (typeof QWebChannel !== 'function' || typeof qt === 'undefined' || !qt.webChannelTransport) {
                return false;
            }
            bridge().then(function (b) {
                Promise.resolve()
                    .then(function () { return fn(args); })
                    .then(function (value) { b.deliver(callId, true, value === undefined ? null : value); },
                          function (error) { b.deliver(callId, false, errorText(error)); });
            });
            return true;
        },
        writable: false,
        configurable: false
    });
})();
