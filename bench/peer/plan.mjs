// What the peer reads, decided the way docs/idexx-neo.md says a sync decides it (written from the
// document, sharing no code with the agent): the schedule window of one call, then for every finished
// visit its consultation's page-data and, when the row shows no first-choice phone, getAppointment.

import { getCountryCallingCode, parsePhoneNumberWithError } from 'libphonenumber-js/max';

// The clinic-local calendar date (YYYY-MM-DD) of an instant.
export function localDate(instant, zone) {
    const parts = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
    }).formatToParts(instant);
    const part = (type) => parts.find((p) => p.type === type).value;
    return `${part('year')}-${part('month')}-${part('day')}`;
}

// "Window": from the clinic date of now - reconcileDays x 24 h to that of now + lookaheadDays x 24 h.
export function scheduleWindow(nowUtc, zone, reconcileDays, lookaheadDays) {
    const now = new Date(nowUtc);
    const day = 24 * 3600 * 1000;
    return {
        first: localDate(new Date(now.getTime() - reconcileDays * day), zone),
        last: localDate(new Date(now.getTime() + lookaheadDays * day), zone),
    };
}

export function schedulePath(window) {
    const start = encodeURIComponent(`${window.first} 00:00:00`);
    const end = encodeURIComponent(`${window.last} 23:59:59`);
    return `/appointments/getCalendarEventData?start=${start}&end=${end}`;
}

// The schedule answer's rows, whichever wrapper this Neo uses.
export function scheduleRows(body) {
    if (Array.isArray(body)) return body;
    for (const key of ['events', 'appointments', 'data']) {
        if (body && Array.isArray(body[key])) return body[key];
    }
    throw new Error('the schedule answer holds no list of events');
}

const COMPLETED = new Set(['finalized', 'ready to pay', 'discharged', 'completed']);

function folded(status) {
    return String(status ?? '').toLowerCase().replace(/[_-]/g, ' ').replace(/\s+/g, ' ').trim();
}

function field(row, ...names) {
    for (const name of names) {
        if (row[name] !== undefined && row[name] !== null && row[name] !== '') return row[name];
    }
    return null;
}

// A number the agent would call without asking for more: a valid personal number of the clinic's
// country (calling code) that may be a mobile.
export function isFirstChoicePhone(raw, country) {
    const text = String(raw ?? '').trim();
    if (!text || !/^\+?[0-9\-.()/\s]*$/.test(text)) return false;
    let number;
    try {
        number = parsePhoneNumberWithError(text, country);
    } catch {
        return false;
    }
    if (number.ext || !number.isValid()) return false;
    const type = number.getType();
    return (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE') &&
        number.countryCallingCode === getCountryCallingCode(country);
}

// The reads due after the schedule on a first sync: every finished visit is new.
export function plannedReads(rows, country) {
    const reads = [];
    const seen = new Set();
    for (const row of rows) {
        if (row.is_block || row.is_roster) continue;
        if (!COMPLETED.has(folded(field(row, 'current_status', 'status', 'status_label')))) continue;
        const appointmentId = String(field(row, 'appointment_id', 'id'));
        const consultationId = field(row, 'consultation_id', 'consultationId');
        const key = consultationId !== null ? String(consultationId) : `appointment:${appointmentId}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (consultationId !== null) reads.push({ kind: 'consultation', id: String(consultationId) });
        if (!isFirstChoicePhone(field(row, 'phone_number', 'phone'), country)) {
            reads.push({ kind: 'appointment', id: appointmentId });
        }
    }
    return reads;
}

export function readPath(read) {
    return read.kind === 'consultation'
        ? `/consultations/${encodeURIComponent(read.id)}/page-data`
        : `/appointments/getAppointment?id=${encodeURIComponent(read.id)}`;
}
