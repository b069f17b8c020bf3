// Odis Clinic Agent: the DOM fallback's reader. Runs in the isolated ApplicationWorld on a Neo HTML page
// and reads the fields a selector profile describes (sync/core/selector_profile.h builds the args):
//   {root: [query], rows: [query], fields: [field], lists: [{name, rows: [query], fields: [field]}],
//    settleMs}
//   query: {css} | {label} | {self: true};  field: {name, queries, pick, index, read, attributes}
// Waits up to settleMs for the root to appear (pages that render with JavaScript), then answers
//   {root, fields, rows, lists, usage, invalidQueries}  (see sync/core/dom_extraction.h).
// Values are passed on as the page shows them; the agent validates them. Nothing is written to the page.
(function (args) {
    'use strict';
    var invalid = {};

    function norm(text) {
        return String(text === null || text === undefined ? '' : text).replace(/\s+/g, ' ').trim();
    }

    function all(scope, css, field) {
        try {
            return Array.prototype.slice.call(scope.querySelectorAll(css));
        } catch (e) {
            invalid[field] = true; // a CSS syntax error: reported, never thrown
            return [];
        }
    }

    function firstOf(scope, css, field) {
        var found = all(scope, css, field);
        return found.length ? found[0] : null;
    }

    // The element a label describes: a dt's dd, a th's cell in the current row, a label's control,
    // else the label's next element.
    function labelled(root, row, label, field) {
        var wanted = norm(label).toLowerCase();
        var labels = all(root, 'th, dt, label', field);
        for (var i = 0; i < labels.length; ++i) {
            var l = labels[i];
            if (norm(l.textContent).toLowerCase() !== wanted) {
                continue;
            }
            if (l.tagName === 'TH') {
                if (row && row.cells && l.cellIndex >= 0) {
                    return row.cells[l.cellIndex] || null;
                }
                continue;
            }
            if (l.tagName === 'DT') {
                var next = l.nextElementSibling;
                while (next && next.tagName !== 'DD') {
                    next = next.nextElementSibling;
                }
                return next;
            }
            if (l.tagName === 'LABEL' && l.htmlFor) {
                var control = root.ownerDocument.getElementById(l.htmlFor);
                if (control && root.contains(control)) {
                    return control;
                }
            }
            return l.nextElementSibling;
        }
        return null;
    }

    function find(scope, query, context, field) {
        if (query.self) {
            return scope;
        }
        if (typeof query.label === 'string') {
            return labelled(context.root, context.row, query.label, field);
        }
        return firstOf(scope, query.css, field);
    }

    function value(element, field) {
        var target = element;
        if (field.pick) {
            target = all(element, field.pick, field.name)[field.index || 0] || null;
        }
        if (!target) {
            return null;
        }
        if (field.read === 'html') {
            return target.innerHTML;
        }
        if (field.read === 'attribute') {
            for (var i = 0; i < field.attributes.length; ++i) {
                if (target.hasAttribute(field.attributes[i])) {
                    return target.getAttribute(field.attributes[i]);
                }
            }
            return null;
        }
        return norm(target.textContent);
    }

    function readFields(scope, fields, context, usage, prefix) {
        var out = {};
        fields.forEach(function (field) {
            var key = prefix + field.name;
            if (!usage[key]) {
                usage[key] = field.queries.map(function () { return 0; }).concat([0]);
            }
            var result = null;
            for (var i = 0; i < field.queries.length && result === null; ++i) {
                var element = find(scope, field.queries[i], context, key);
                if (element) {
                    result = value(element, field);
                    if (result !== null) {
                        usage[key][i] += 1;
                    }
                }
            }
            if (result === null) {
                usage[key][field.queries.length] += 1;
            }
            out[field.name] = result;
        });
        return out;
    }

    // The first query of the list that finds anything decides.
    function locate(scope, queries, field) {
        for (var i = 0; i < queries.length; ++i) {
            if (queries[i].css) {
                var found = firstOf(scope, queries[i].css, field);
                if (found) {
                    return found;
                }
            }
        }
        return null;
    }

    function rowsOf(scope, queries, field) {
        for (var i = 0; i < queries.length; ++i) {
            if (queries[i].css) {
                var found = all(scope, queries[i].css, field);
                if (found.length) {
                    return found;
                }
            }
        }
        return [];
    }

    function extract() {
        var root = locate(document, args.root, '(root)');
        if (!root) {
            return { root: false, fields: {}, rows: [], lists: {}, usage: {}, invalidQueries: Object.keys(invalid) };
        }
        var usage = {};
        var answer = { root: true, fields: {}, rows: [], lists: {}, usage: usage };
        if (args.rows.length) {
            answer.rows = rowsOf(root, args.rows, '(rows)').map(function (row) {
                return readFields(row, args.fields, { root: root, row: row }, usage, '');
            });
        } else {
            answer.fields = readFields(root, args.fields, { root: root, row: null }, usage, '');
        }
        args.lists.forEach(function (list) {
            answer.lists[list.name] = rowsOf(root, list.rows, list.name).map(function (row) {
                return readFields(row, list.fields, { root: root, row: row }, usage, list.name + '.');
            });
        });
        answer.invalidQueries = Object.keys(invalid);
        return answer;
    }

    return new Promise(function (resolve) {
        var deadline = Date.now() + (args.settleMs || 0);
        (function poll() {
            var ready = document.readyState !== 'loading' && locate(document, args.root, '(root)') !== null;
            if (ready || Date.now() >= deadline) {
                resolve(extract());
                return;
            }
            setTimeout(poll, 50);
        })();
    });
})
