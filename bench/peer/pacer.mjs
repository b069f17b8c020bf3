// The agent's Neo pacing (sync/core/request_pacer.h), written again for the peer so that both send the
// same requests in flight and per second: at most `maxInFlight` requests started and not finished, and a
// token bucket of `burst` tokens refilled at `requestsPerSecond`. `now` is monotonic milliseconds.

export class RequestPacer {
    constructor({ maxInFlight, requestsPerSecond, burst }, now) {
        this.maxInFlight = Math.max(maxInFlight, 1);
        this.rate = Math.max(requestsPerSecond, 0.01);
        this.burst = Math.max(burst, 1);
        this.tokens = this.burst;
        this.refilledAt = now;
        this.inFlight = 0;
        this.peakInFlight = 0;
    }

    refill(now) {
        if (now <= this.refilledAt) return;
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.rate);
        this.refilledAt = now;
    }

    // Milliseconds to wait before the next request may start; null while every slot is taken.
    waitBeforeNext(now) {
        if (this.inFlight >= this.maxInFlight) return null;
        this.refill(now);
        if (this.tokens < 1) return Math.ceil(((1 - this.tokens) * 1000) / this.rate);
        return 0;
    }

    start(now) {
        this.refill(now);
        this.tokens -= 1;
        this.inFlight += 1;
        this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    }

    finish() {
        this.inFlight = Math.max(this.inFlight - 1, 0);
    }
}

// Runs `call(item)` for every item, paced; resolves with the answers in the items' order.
export async function pacedAll(items, settings, call) {
    const clock = () => performance.now();
    const pacer = new RequestPacer(settings, clock());
    const results = new Array(items.length);
    let next = 0;
    let finished = 0;
    return new Promise((resolve, reject) => {
        let timer = null;
        const pump = () => {
            timer = null;
            while (next < items.length) {
                const wait = pacer.waitBeforeNext(clock());
                if (wait === null) return; // a finish() pumps again
                if (wait > 0) {
                    timer = setTimeout(pump, wait);
                    return;
                }
                const index = next++;
                pacer.start(clock());
                call(items[index]).then((answer) => {
                    results[index] = answer;
                    pacer.finish();
                    finished += 1;
                    if (finished === items.length) resolve({ results, peakInFlight: pacer.peakInFlight });
                    else if (timer === null) pump();
                }, reject);
            }
        };
        if (items.length === 0) resolve({ results, peakInFlight: 0 });
        else pump();
    });
}
