// Odis Clinic Agent: fills Neo's login form and submits it once. Runs in the isolated ApplicationWorld.
// args: {companyId, username, password}. Returns at once (the navigation that follows the submit is
// watched from C++):
//   {status: "submitted", companyIdField: bool, usernameField: "username" | "email",
//    errorTextsBefore: [...]}                   the error texts the page showed before the click (a
//                                               banner there is no verdict on this login)
//   {status: "not_login_page", path}            no password field here: nothing was filled
//   {status: "missing_field", field}            the form lacks a field or the submit control
//   {status: "missing_credential", field}       the form asks for a value the agent does not have
//   {status: "invalid_form", field}             the page's own form validation refuses a value
//                                               (e.g. a user name that is not an e-mail address)
//   {status: "already_submitted"}               this document's form was submitted before
// Values are set through the native setter and announced with input/change events so that script
// frameworks see them as typed; the submit is one click on the form's submit button.
(function (args) {
    'use strict';
    if (window.__odisLoginSubmitted === true) {
        return { status: 'already_submitted' };
    }
    var password = document.querySelector('input[name="password"]') ||
        document.querySelector('input[type="password"]');
    if (!password) {
        return { status: 'not_login_page', path: location.pathname };
    }
    var form = password.form || document;
    var company = form.querySelector('input[name="company_id"]');
    var username = form.querySelector('input[name="username"]');
    var usernameField = 'username';
    if (!username) {
        username = form.querySelector('input[type="email"]');
        usernameField = 'email';
    }
    if (!username) {
        return { status: 'missing_field', field: 'username' };
    }
    var submit = form.querySelector('button[type="submit"], input[type="submit"]');
    if (!submit && !(password.form && typeof password.form.requestSubmit === 'function')) {
        return { status: 'missing_field', field: 'submit' };
    }
    if (company && !args.companyId) {
        return { status: 'missing_credential', field: 'company_id' };
    }

    var setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    function fill(input, value) {
        input.focus();
        setValue.call(input, value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.dispatchEvent(new Event('change', { bubbles: true }));
    }
    if (company) {
        fill(company, args.companyId);
    }
    fill(username, args.username);
    fill(password, args.password);

    // A click on a form that fails its own validation sends nothing and says nothing: report it
    // instead of waiting for an answer that cannot come.
    var invalid = [company, username, password].filter(function (input) {
        return input && typeof input.checkValidity === 'function' && !input.checkValidity();
    });
    if (invalid.length > 0) {
        return { status: 'invalid_form', field: invalid[0] === password ? 'password'
                 : invalid[0] === company ? 'company_id' : 'username' };
    }

    // The same reading as login_outcome.js, before the click: what the answer shows anew is Neo's verdict.
    var errorTextsBefore = [];
    var errorNodes = document.querySelectorAll('.error-message, .alert-danger, [role="alert"]');
    for (var i = 0; i < errorNodes.length && errorTextsBefore.length < 5; ++i) {
        var text = (errorNodes[i].textContent || '').replace(/\s+/g, ' ').trim().substring(0, 300);
        if (text.length > 0 && errorTextsBefore.indexOf(text) < 0) {
            errorTextsBefore.push(text);
        }
    }

    window.__odisLoginSubmitted = true;
    if (submit) {
        submit.click();
    } else {
        password.form.requestSubmit();
    }
    return { status: 'submitted', companyIdField: !!company, usernameField: usernameField,
             errorTextsBefore: errorTextsBefore };
})
