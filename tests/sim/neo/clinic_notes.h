#pragma once

// Clinical notes, discharge summaries and product lines of generated visits: plain SOAP text, HTML with
// entities, lab tables, <style>/<script> debris and very long histories (tens of kilobytes); end-of-life
// mentions where a visit calls for one, and look-alike words that must not count as one.

#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/sim_random.h"

namespace odis::sim::neo {

enum class NotesStyle
{
    Plain,
    Html,
    HtmlTable,
    Long
};

struct VisitText
{
    QString patientName;
    QString species;
    QString type;
    QString reason;
    QString vet;
};

// An end-of-life phrase (covers every term of the rules and the clinic's "memorial"), chosen by index so
// that a week of visits uses many different ones.
[[nodiscard]] QString endOfLifePhrase(int index);
// Phrases that look like end-of-life terms inside longer words ("receipts", "PTSD", "Dr Leuthardt"):
// they must not exclude a visit.
[[nodiscard]] QString lookAlikePhrase(int index);

// Notes as Neo stores them. `extra` (an end-of-life or look-alike phrase) is woven in when not empty.
[[nodiscard]] QString composeNotes(SimRandom& random, const VisitText& visit, NotesStyle style,
                                   const QString& extra);
// An addendum appended to notes when they are edited after the first save.
[[nodiscard]] QString composeAddendum(SimRandom& random, NotesStyle style, const QString& extra);
[[nodiscard]] QString composeDischargeSummary(SimRandom& random, const VisitText& visit, bool html,
                                              const QString& extra);
// Reasons for an appointment type (the visit's booking reason).
[[nodiscard]] QString reasonFor(SimRandom& random, const QString& type);
// Product lines for a visit of `type`; ids from `nextLineId`. Some lines are declined.
[[nodiscard]] QList<SimProductLine> composeLines(SimRandom& random, const QString& type, qint64& nextLineId);

} // namespace odis::sim::neo
