// Odis Clinic Agent: the setup window's login (ui/setup/). A person types the clinic's IDEXX Neo login on
// Neo's own page; this script, in the isolated ApplicationWorld (Neo's scripts cannot see or replace it),
// reads what the form holds at the moment it is submitted and resolves with it, so that the agent can
// save exactly what Neo then accepts. It never submits, fills or changes anything. args: {}. Resolves
//   {status: "submitted", companyId, username, password}   when the login form is submitted
//   {status: "not_login_page", path}                       at once, on a page without a password field
(function (args) {
    'use strict';
    var password = document.querySelector('input[name="password"]') ||
        document.querySelector('input[type="password"]');
    if (!password) {
        return { status: 'not_login_page', path: location.pathname };
    }
    var form = password.form;
    return new Promise(function (resolve) {
        function read() {
            var scope = form || document;
            var company = scope.querySelector('input[name="company_id"]');
            var username = scope.querySelector('input[name="username"]') ||
                scope.querySelector('input[type="email"]');
            return {
                status: 'submitted',
                companyId: company ? company.value : '',
                username: username ? username.value : '',
                password: password.value
            };
        }
        // Capture phase on the document: seen before any handler of the page can stop it, whether the
        // person clicked the button or pressed Enter.
        document.addEventListener('submit', function (event) {
            if (!form || event.target === form) {
                resolve(read());
            }
        }, true);
    });
})
