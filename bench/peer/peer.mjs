#!/usr/bin/env node
// The Playwright peer (bench/README.md, "The Playwright peer"): what a clinic would otherwise run, a
// Node script driving Chromium, doing the agent's Neo read. It logs in through Neo's form, reads the
// schedule window with one in-page fetch, then the page-data of every finished visit and getAppointment
// where the row shows no first-choice phone, paced as the agent paces (bench/peer/pacer.mjs), and writes
// what it read as JSON for the benchmark to check against the simulator's ground truth.
//
//   node peer.mjs --base-url URL --now UTC --zone IANA --country CC --out FILE
//                 [--reconcile-days 7] [--lookahead-days 1] [--in-flight 4] [--rate 4] [--burst 4]
//                 [--chromium /usr/bin/chromium]
// The login comes on stdin, three lines as `odis-agent credentials set` takes them: company id (may be
// empty), user name, password. Never on the command line, never printed.
// Prints one line of counts and phase timings (no clinic data); exits 0 when every read answered 200,
// 1 when the login or a read failed, 2 on bad usage.

import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

import { pacedAll } from './pacer.mjs';
import { plannedReads, readPath, schedulePath, scheduleRows, scheduleWindow } from './plan.mjs';

// Debian's Chromium, never a browser downloaded by Playwright; the flags of bench/README.md.
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'];

function usage(message) {
    process.stderr.write(`peer: ${message}\n`);
    process.exit(2);
}

function options() {
    let parsed;
    try {
        parsed = parseArgs({
            options: {
                'base-url': { type: 'string' }, now: { type: 'string' }, zone: { type: 'string' },
                country: { type: 'string' }, out: { type: 'string' },
                'reconcile-days': { type: 'string', default: '7' },
                'lookahead-days': { type: 'string', default: '1' },
                'in-flight': { type: 'string', default: '4' }, rate: { type: 'string', default: '4' },
                burst: { type: 'string', default: '4' },
                chromium: { type: 'string', default: '/usr/bin/chromium' },
            },
        }).values;
    } catch (error) {
        usage(error.message);
    }
    for (const name of ['base-url', 'now', 'zone', 'country', 'out']) {
        if (!parsed[name]) usage(`--${name} is required`);
    }
    const number = (name, min) => {
        const value = Number(parsed[name]);
        if (!Number.isFinite(value) || value < min) usage(`--${name} takes a number >= ${min}`);
        return value;
    };
    if (Number.isNaN(Date.parse(parsed.now)) || !parsed.now.endsWith('Z')) usage('--now takes a UTC instant');
    return {
        baseUrl: new URL(parsed['base-url']), now: parsed.now, zone: parsed.zone, country: parsed.country,
        out: parsed.out, chromium: parsed.chromium,
        reconcileDays: number('reconcile-days', 0), lookaheadDays: number('lookahead-days', 0),
        pacing: { maxInFlight: number('in-flight', 1), requestsPerSecond: number('rate', 0.01),
            burst: number('burst', 1) },
    };
}

function credentials() {
    const [companyId = '', username = '', password = ''] = readFileSync(0, 'utf8').split('\n');
    if (!username || !password) usage('stdin must hold the company id, user name and password lines');
    return { companyId: companyId.trim(), username: username.trim(), password };
}

// The same call the agent's resources/scripts/neo_fetch.js makes: same origin, Neo's own headers.
async function inPageFetch(page, path) {
    return page.evaluate(async ({ path: target, timeoutMs }) => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), timeoutMs);
        try {
            const response = await fetch(new URL(target, location.origin).href, {
                method: 'GET', credentials: 'include', cache: 'no-store', redirect: 'follow',
                headers: { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
                signal: controller.signal,
            });
            return { status: response.status, body: await response.text() };
        } catch (error) {
            return { status: 0, failure: error && error.name === 'AbortError' ? 'timeout' : 'network' };
        } finally {
            clearTimeout(timer);
        }
    }, { path, timeoutMs: 30000 });
}

async function logIn(page, baseUrl, login) {
    await page.goto(new URL('/login', baseUrl).href);
    const company = page.locator('input[name="company_id"]');
    if (await company.count() > 0 && await company.isVisible()) await company.fill(login.companyId);
    const username = page.locator('input[name="username"], input[type="email"]').first();
    await username.fill(login.username);
    await page.locator('input[name="password"], input[type="password"]').first().fill(login.password);
    await page.locator('button[type="submit"], input[type="submit"]').first().click();
    await page.waitForSelector('#dashboard_shell', { timeout: 30000 });
}

async function main() {
    const opts = options();
    const login = credentials();
    const phases = {};
    let mark = performance.now();
    const phase = (name) => {
        const now = performance.now();
        phases[name] = Math.round(now - mark);
        mark = now;
    };

    const browser = await chromium.launch({ executablePath: opts.chromium, headless: true,
        chromiumSandbox: false, args: CHROMIUM_FLAGS });
    const failures = [];
    const read = { window: null, schedule: null, consultations: {}, appointments: {} };
    let peakInFlight = 0;
    let requests = 0;
    try {
        const context = await browser.newContext();
        const page = await context.newPage();
        phase('browser_start_ms');
        await logIn(page, opts.baseUrl, login);
        phase('login_ms');

        read.window = scheduleWindow(opts.now, opts.zone, opts.reconcileDays, opts.lookaheadDays);
        const schedule = await inPageFetch(page, schedulePath(read.window));
        requests += 1;
        phase('schedule_ms');
        if (schedule.status !== 200) throw new Error(`the schedule answered ${schedule.status}`);
        read.schedule = JSON.parse(schedule.body);
        const reads = plannedReads(scheduleRows(read.schedule), opts.country);
        const answers = await pacedAll(reads, opts.pacing, (r) => inPageFetch(page, readPath(r)));
        requests += reads.length;
        peakInFlight = answers.peakInFlight;
        reads.forEach((r, i) => {
            const answer = answers.results[i];
            if (answer.status !== 200) {
                failures.push({ kind: r.kind, status: answer.status, failure: answer.failure ?? null });
                return;
            }
            (r.kind === 'consultation' ? read.consultations : read.appointments)[r.id] = JSON.parse(answer.body);
        });
        phase('reads_ms');
        await context.close();
    } finally {
        await browser.close();
    }
    phase('close_ms');
    writeFileSync(opts.out, JSON.stringify({ ...read, failures, requests, peak_in_flight: peakInFlight,
        phases_ms: phases }));
    phase('write_ms');
    const rows = read.schedule ? scheduleRows(read.schedule).length : 0;
    process.stdout.write(`peer: ${rows} schedule rows, ${Object.keys(read.consultations).length} consultations, ` +
        `${Object.keys(read.appointments).length} appointment details, ${requests} data requests ` +
        `(peak ${peakInFlight} in flight), ${failures.length} failed; phases ${JSON.stringify(phases)}\n`);
    return failures.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error) => {
    // Playwright's messages may quote a page; only the first line, which names what failed.
    process.stderr.write(`peer: failed: ${String(error && error.message).split('\n')[0]}\n`);
    process.exit(1);
});
