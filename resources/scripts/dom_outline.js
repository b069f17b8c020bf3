// Odis Clinic Agent: the structure of a Neo page for layout diagnostics. Runs in the isolated
// ApplicationWorld. args: {maxNodes, maxDepth}. Answers {outline, nodes, truncated, path}: one line per
// element with its tag, id, classes and data-testid, and the NAMES of its other attributes. Never text,
// never other attribute values: the outline must not carry clinic data. Runs of three or more digits in
// ids and classes (record ids) become '#', and identical sibling subtrees are written once with a count.
(function (args) {
    'use strict';
    var maxNodes = args.maxNodes || 4000;
    var maxDepth = args.maxDepth || 40;
    var nodes = 0;
    var truncated = false;

    function mask(text) {
        return String(text).replace(/[0-9]{3,}/g, '#').replace(/[\s\u0000-\u001f]+/g, ' ').trim();
    }

    function describe(element) {
        var line = element.tagName.toLowerCase();
        if (element.id) {
            line += '#' + mask(element.id);
        }
        var classes = (element.getAttribute('class') || '').trim();
        if (classes) {
            line += classes.split(/\s+/).map(function (c) { return '.' + mask(c); }).join('');
        }
        var testId = element.getAttribute('data-testid');
        if (testId !== null) {
            line += '[data-testid=' + mask(testId) + ']';
        }
        var names = [];
        for (var i = 0; i < element.attributes.length; ++i) {
            var name = element.attributes[i].name;
            if (name !== 'id' && name !== 'class' && name !== 'data-testid') {
                names.push(mask(name));
            }
        }
        if (names.length) {
            line += ' {' + names.sort().join(',') + '}';
        }
        return line;
    }

    function indent(depth) {
        return new Array(depth + 1).join('  ');
    }

    function walk(element, depth) {
        if (nodes >= maxNodes) {
            truncated = true;
            return [];
        }
        nodes += 1;
        var lines = [indent(depth) + describe(element)];
        if (depth >= maxDepth) {
            if (element.children.length) {
                lines.push(indent(depth + 1) + '...');
            }
            return lines;
        }
        var previous = null;
        var previousKey = null;
        var repeats = 0;
        function flush() {
            if (previous) {
                if (repeats > 0) {
                    previous[0] += ' x' + (repeats + 1);
                }
                lines = lines.concat(previous);
            }
        }
        for (var i = 0; i < element.children.length; ++i) {
            var sub = walk(element.children[i], depth + 1);
            var key = sub.join('\n');
            if (previous && key === previousKey) {
                repeats += 1;
                continue;
            }
            flush();
            previous = sub;
            previousKey = key;
            repeats = 0;
        }
        flush();
        return lines;
    }

    var outline = walk(document.documentElement, 0);
    return {
        outline: outline.join('\n'),
        nodes: nodes,
        truncated: truncated,
        path: mask(location.pathname)
    };
})
