// Odis Clinic Agent: reads what the page shows after a login step. Runs in the isolated
// ApplicationWorld. args: {settleMs}. Resolves as soon as the page shows something decisive (the
// dashboard, an error text, a second-factor field) or after settleMs, with:
//   {path, dashboard, errorText, errorTexts, secondFactor, loginForm, expiredBanner, decisive}
// errorTexts are the texts of every error element (at most 5, each cut to 300 characters), errorText the
// first of them: the page's own messages for a person; the agent never logs them.
(function (args) {
    'use strict';
    var ERROR_SELECTORS = '.error-message, .alert-danger, [role="alert"]';

    function errorTexts() {
        var nodes = document.querySelectorAll(ERROR_SELECTORS);
        var texts = [];
        for (var i = 0; i < nodes.length && texts.length < 5; ++i) {
            var text = (nodes[i].textContent || '').replace(/\s+/g, ' ').trim();
            if (text.length > 0 && texts.indexOf(text.substring(0, 300)) < 0) {
                texts.push(text.substring(0, 300));
            }
        }
        return texts;
    }

    function probe() {
        var loginForm = !!(document.querySelector('input[name="password"]') ||
                           document.querySelector('input[type="password"]'));
        // A second-factor page asks for a code and no password (so "Company code" on a login
        // form is not mistaken for one).
        var secondFactor = !loginForm && !!(document.querySelector('input[name="code"]') ||
                                            document.querySelector('input[name="otp"]') ||
                                            document.querySelector('input[placeholder*="code" i]'));
        var texts = errorTexts();
        var state = {
            path: location.pathname,
            dashboard: !!document.querySelector('#dashboard_shell'),
            errorText: texts.length > 0 ? texts[0] : '',
            errorTexts: texts,
            secondFactor: secondFactor,
            loginForm: loginForm,
            expiredBanner: !!document.querySelector('.session-expired, .login-required')
        };
        state.decisive = state.dashboard || state.secondFactor || state.errorText.length > 0;
        return state;
    }

    return new Promise(function (resolve) {
        var first = probe();
        if (first.decisive) {
            resolve(first);
            return;
        }
        var done = false;
        var observer = new MutationObserver(function () {
            var state = probe();
            if (state.decisive && !done) {
                done = true;
                observer.disconnect();
                resolve(state);
            }
        });
        observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true,
                                                     attributes: true });
        setTimeout(function () {
            if (!done) {
                done = true;
                observer.disconnect();
                resolve(probe());
            }
        }, args.settleMs);
    });
})
