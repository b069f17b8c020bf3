// Odis Clinic Agent: one same-origin data call as Neo's own pages make it. Runs in the isolated
// ApplicationWorld. args: {path, timeoutMs, maxBytes}. Resolves with
//   {status, contentType, retryAfter, url, redirected, body, invalidUtf8}  an HTTP answer (any status)
//   {status, ..., tooLarge: true, bytes}                                   one larger than maxBytes
//   {status: 0, failure: "timeout" | "network" | "origin"}                 no HTTP answer
// The body is passed on as text, unparsed: the agent's parsers decide what it is. Its bytes are decoded
// as UTF-8; when they are not valid UTF-8 the decoder puts U+FFFD in place of each bad sequence and
// invalidUtf8 says so, so that no replaced text passes for Neo's own.
// A body over maxBytes is not read (its Content-Length says so) or stops being read once the stream
// passes it: megabytes handed through the page's channel would stall the page, and no answer the agent
// takes is that large. The agent then refuses the answer (neo_value_too_long).
(function (args) {
    'use strict';
    var target = new URL(args.path, location.origin);
    if (target.origin !== location.origin) {
        return { status: 0, failure: 'origin' };
    }
    var maxBytes = args.maxBytes > 0 ? args.maxBytes : Infinity;
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, args.timeoutMs);

    // The body's bytes, or null once they pass maxBytes (the rest is not downloaded).
    function readCapped(response) {
        if (!response.body) {
            return response.arrayBuffer().then(function (buffer) {
                return buffer.byteLength > maxBytes ? null : new Uint8Array(buffer);
            });
        }
        var reader = response.body.getReader();
        var chunks = [];
        var total = 0;
        function next() {
            return reader.read().then(function (step) {
                if (step.done) {
                    var all = new Uint8Array(total);
                    var at = 0;
                    chunks.forEach(function (chunk) { all.set(chunk, at); at += chunk.length; });
                    return all;
                }
                total += step.value.length;
                if (total > maxBytes) {
                    chunks = [];
                    controller.abort(); // the request itself, so that its connection is not kept busy
                    return null;
                }
                chunks.push(step.value);
                return next();
            });
        }
        return next();
    }

    return fetch(target.href, {
        method: 'GET',
        credentials: 'include',
        cache: 'no-store',
        redirect: 'follow',
        headers: { 'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
        signal: controller.signal
    }).then(function (response) {
        var answer = {
            status: response.status,
            contentType: response.headers.get('Content-Type') || '',
            retryAfter: response.headers.get('Retry-After') || '',
            url: response.url,
            redirected: response.redirected,
            body: '',
            invalidUtf8: false
        };
        function tooLarge(bytes) {
            answer.tooLarge = true;
            answer.bytes = bytes;
            return answer;
        }
        var declared = Number(response.headers.get('Content-Length'));
        if (declared > maxBytes) {
            // Aborting the request (not only cancelling the body's stream) frees its connection at once.
            controller.abort();
            return tooLarge(declared);
        }
        return readCapped(response).then(function (bytes) {
            if (bytes === null) {
                return tooLarge(maxBytes + 1);
            }
            try {
                answer.body = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
            } catch (e) {
                answer.body = new TextDecoder('utf-8').decode(bytes);
                answer.invalidUtf8 = true;
            }
            return answer;
        });
    }).catch(function (error) {
        return { status: 0, failure: error && error.name === 'AbortError' ? 'timeout' : 'network' };
    }).finally(function () {
        clearTimeout(timer);
    });
})
