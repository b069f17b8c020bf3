#pragma once

#include <QStringList>

#include <functional>

namespace odis::agent {

// The failed queue: items the backend rejected (invalid for the contract), kept for a person to look at.
//   odis-agent failed list              one line per item: id, kind, key, when, attempts, error (ids and
//                                       codes only; payloads stay in the encrypted store)
//   odis-agent failed retry <id>|--all  puts items back in the outbox; the next sync uploads them (an item
//                                       whose key has a newer version is dropped instead: that one goes)
// Exit 0 done, 1 no such item, 2 usage, 3 could not run.
void runFailedVerb(const QStringList& arguments, const std::function<void(int)>& exit);

} // namespace odis::agent
