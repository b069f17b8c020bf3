// Odis Clinic Agent: one same-origin data call as Neo's own pages make it. Runs in the isolated
// ApplicationWorld. args: {path, timeoutMs}. Resolves with
//   {status, contentType, retryAfter, url, redirected, body, invalidUtf8}  an HTTP answer (any status)
//   {status: 0, failure: "timeout" | "network" | "origin"}                 no HTTP answer
// The body is passed on as text, unparsed: the agent's parsers decide what it is. Its bytes are decoded
// as UTF-8; when they are not valid UTF-8 the decoder puts U+FFFD in place of each bad sequence and
// invalidUtf8 says so, so that no replaced text passes for Neo's own.
(function (args) {
    'use strict';
    var target = new URL(args.path, location.origin);
    if (target.origin !== location.origin) {
        return { status: 0, failure: 'origin' };
    }
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, args.timeoutMs);
    return fetch(target.href, {
        method: 'GET',
        credentials: 'include',
        cache: 'no-store',
        redirect: 'follow',
        headers: { 'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
        signal: controller.signal
    }).then(function (response) {
        return response.arrayBuffer().then(function (bytes) {
            var body;
            var invalidUtf8 = false;
            try {
                body = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
            } catch (e) {
                body = new TextDecoder('utf-8').decode(bytes);
                invalidUtf8 = true;
            }
            return {
                status: response.status,
                contentType: response.headers.get('Content-Type') || '',
                retryAfter: response.headers.get('Retry-After') || '',
                url: response.url,
                redirected: response.redirected,
                body: body,
                invalidUtf8: invalidUtf8
            };
        });
    }).catch(function (error) {
        return { status: 0, failure: error && error.name === 'AbortError' ? 'timeout' : 'network' };
    }).finally(function () {
        clearTimeout(timer);
    });
})
