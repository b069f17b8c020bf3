#pragma once

#include "storage/result.h"

#include <QByteArray>
#include <QJsonValue>

namespace odis::sim::contract {

// Reads the YAML that docs/openapi/*.yaml is written in, into JSON values: block mappings and sequences
// (a sequence may sit at its key's indentation), one-line plain, 'single'- and "double"-quoted scalars,
// flow sequences of scalars ([a, b]), empty flow mappings ({}), and # comments. Plain scalars become null
// (null, ~), booleans (true, false), numbers, or strings. Anything else (block scalars, anchors, tags,
// several documents, flow mappings with content, tabs) is refused with its line, so the document cannot
// use YAML that this reader would misread.
Result<QJsonValue> parseYamlSubset(const QByteArray& text);

} // namespace odis::sim::contract
