#include "sync/core/selector_profile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QSet>

namespace odis::sync {

namespace {

using namespace dom_field;

struct FieldSet
{
    QList<QLatin1StringView> required;
    QList<QLatin1StringView> optional;
};

const FieldSet& scheduleFields()
{
    static const FieldSet set{{kAppointmentId, kStart, kStatus},
                              {kConsultationId, kRowKind, kRoom, kEnd, kPatientName, kClientFirstName,
                               kClientLastName, kClientPhone, kProviderName, kAppointmentType}};
    return set;
}

const FieldSet& consultationFields()
{
    static const FieldSet set{{kConsultationId, kVisitDate, kNotes},
                              {kAppointmentId, kPatientName, kPatientSpecies, kPatientBreed, kClientFirstName,
                               kClientLastName, kClientPhone, kClientEmail, kProviderName, kStatus, kReason,
                               kDischargeSummary}};
    return set;
}

const FieldSet& productLineFields()
{
    static const FieldSet set{{kLineName}, {kLineId, kLineQuantity, kLineDeclined}};
    return set;
}

bool matches(const QString& pattern, const QString& text)
{
    return QRegularExpression(QRegularExpression::anchoredPattern(pattern)).match(text).hasMatch();
}

bool hasControl(const QString& text)
{
    return std::any_of(text.cbegin(), text.cend(),
                       [](QChar c) { return c.category() == QChar::Other_Control; });
}

const QString kAttributeName = QStringLiteral("[A-Za-z_:][A-Za-z0-9_.:-]{0,99}");

// Reads one JSON object strictly; the first error wins and names its path.
class Reader
{
public:
    [[nodiscard]] bool failed() const { return m_error.has_value(); }
    [[nodiscard]] Error error() const { return *m_error; }

    void fail(const QString& path, const QString& why)
    {
        if (!m_error) {
            m_error = Error{QString(kSelectorProfileInvalid), path + QStringLiteral(": ") + why};
        }
    }

    bool onlyKeys(const QJsonObject& object, const QString& path, const QStringList& allowed)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!allowed.contains(it.key())) {
                fail(path, QStringLiteral("unknown key \"%1\"").arg(it.key().left(40)));
                return false;
            }
        }
        return true;
    }

    QJsonObject object(const QJsonValue& value, const QString& path)
    {
        if (!value.isObject()) {
            fail(path, QStringLiteral("must be an object"));
        }
        return value.toObject();
    }

    QString text(const QJsonObject& object, const QString& key, const QString& path, bool required)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() && !required) {
            return {};
        }
        if (!value.isString() || value.toString().trimmed().isEmpty() || hasControl(value.toString())) {
            fail(path + QLatin1Char('.') + key, QStringLiteral("must be a non-empty string"));
            return {};
        }
        return value.toString();
    }

    QList<Selector> selectors(const QJsonValue& value, const QString& path)
    {
        QList<Selector> out;
        if (!value.isArray() || value.toArray().isEmpty()) {
            fail(path, QStringLiteral("must be a non-empty array of selectors"));
            return out;
        }
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size() && !failed(); ++i) {
            out.append(selector(array.at(i), path + QStringLiteral("[%1]").arg(i)));
        }
        return out;
    }

    Selector selector(const QJsonValue& value, const QString& path)
    {
        const QJsonObject object = this->object(value, path);
        if (failed() || !onlyKeys(object, path, {QStringLiteral("kind"), QStringLiteral("value")})) {
            return {};
        }
        static const QMap<QString, SelectorKind> kinds{{QStringLiteral("testid"), SelectorKind::TestId},
                                                       {QStringLiteral("name-id"), SelectorKind::NameId},
                                                       {QStringLiteral("class"), SelectorKind::Class},
                                                       {QStringLiteral("text"), SelectorKind::Text},
                                                       {QStringLiteral("css"), SelectorKind::Css},
                                                       {QStringLiteral("self"), SelectorKind::Self}};
        const QString kindName = object.value(QStringLiteral("kind")).toString();
        if (!kinds.contains(kindName)) {
            fail(path + QStringLiteral(".kind"),
                 QStringLiteral("unknown kind \"%1\"").arg(kindName.left(40)));
            return {};
        }
        Selector selector{kinds.value(kindName), {}};
        if (selector.kind == SelectorKind::Self) {
            if (object.contains(QStringLiteral("value"))) {
                fail(path + QStringLiteral(".value"), QStringLiteral("a self selector takes no value"));
            }
            return selector;
        }
        selector.value = text(object, QStringLiteral("value"), path, true);
        checkValue(selector, path + QStringLiteral(".value"));
        return selector;
    }

    void checkValue(const Selector& selector, const QString& path)
    {
        if (failed()) {
            return;
        }
        // Values become CSS inside double quotes: quotes, backslashes and brackets could change the query.
        const QString& v = selector.value;
        bool ok = true;
        switch (selector.kind) {
        case SelectorKind::TestId:
        case SelectorKind::NameId:
            ok = matches(QStringLiteral("[A-Za-z0-9_.:-]{1,100}"), v);
            break;
        case SelectorKind::Class:
            ok = matches(QStringLiteral("-?[A-Za-z_][A-Za-z0-9_-]{0,99}"), v);
            break;
        case SelectorKind::Text:
            ok = v.size() <= 100;
            break;
        case SelectorKind::Css:
            ok = v.size() <= 300;
            break;
        case SelectorKind::Self:
            break;
        }
        if (!ok) {
            fail(path, QStringLiteral("not a valid value for this kind of selector"));
        }
    }

    FieldRule field(const QJsonValue& value, const QString& path)
    {
        FieldRule rule;
        const QJsonObject object = this->object(value, path);
        if (failed() ||
            !onlyKeys(object, path,
                      {QStringLiteral("selectors"), QStringLiteral("pick"), QStringLiteral("index"),
                       QStringLiteral("read"), QStringLiteral("attributes")})) {
            return rule;
        }
        rule.selectors =
            selectors(object.value(QStringLiteral("selectors")), path + QStringLiteral(".selectors"));
        rule.pick = text(object, QStringLiteral("pick"), path, false);
        if (rule.pick.size() > 300) {
            fail(path + QStringLiteral(".pick"), QStringLiteral("too long"));
        }
        if (object.contains(QStringLiteral("index"))) {
            const QJsonValue index = object.value(QStringLiteral("index"));
            const double n = index.toDouble(-1);
            if (!index.isDouble() || n != static_cast<int>(n) || n < 0 || n > 99 || rule.pick.isEmpty()) {
                fail(path + QStringLiteral(".index"), QStringLiteral("must be an integer 0..99 with a pick"));
            }
            rule.index = static_cast<int>(n);
        }
        const QString read = object.value(QStringLiteral("read")).toString(QStringLiteral("text"));
        static const QMap<QString, ReadAs> reads{{QStringLiteral("text"), ReadAs::Text},
                                                 {QStringLiteral("html"), ReadAs::Html},
                                                 {QStringLiteral("attribute"), ReadAs::Attribute}};
        if (!reads.contains(read) ||
            (object.contains(QStringLiteral("read")) && !object.value(QStringLiteral("read")).isString())) {
            fail(path + QStringLiteral(".read"),
                 QStringLiteral("must be \"text\", \"html\" or \"attribute\""));
            return rule;
        }
        rule.read = reads.value(read);
        const QJsonValue attributes = object.value(QStringLiteral("attributes"));
        if (rule.read == ReadAs::Attribute) {
            if (!attributes.isArray() || attributes.toArray().isEmpty()) {
                fail(path + QStringLiteral(".attributes"),
                     QStringLiteral("an attribute read needs attribute names"));
                return rule;
            }
            for (const QJsonValue name : attributes.toArray()) {
                if (!name.isString() || !matches(kAttributeName, name.toString())) {
                    fail(path + QStringLiteral(".attributes"), QStringLiteral("not an attribute name"));
                    return rule;
                }
                rule.attributes.append(name.toString());
            }
        } else if (!attributes.isUndefined()) {
            fail(path + QStringLiteral(".attributes"),
                 QStringLiteral("only an attribute read takes attributes"));
        }
        return rule;
    }

    QMap<QString, FieldRule> fields(const QJsonValue& value, const QString& path, const FieldSet& set)
    {
        QMap<QString, FieldRule> out;
        const QJsonObject object = this->object(value, path);
        for (auto it = object.begin(); it != object.end() && !failed(); ++it) {
            const bool known = set.required.contains(it.key()) || set.optional.contains(it.key());
            if (!known) {
                fail(path, QStringLiteral("unknown field \"%1\"").arg(it.key().left(40)));
                break;
            }
            out.insert(it.key(), field(it.value(), path + QLatin1Char('.') + it.key()));
        }
        for (const QLatin1StringView name : set.required) {
            if (!failed() && !out.contains(name)) {
                fail(path, QStringLiteral("the required field \"%1\" is missing").arg(name));
            }
        }
        return out;
    }

    PageRule page(const QJsonValue& value, const QString& path, const QString& placeholder,
                  const FieldSet& set, bool rows, bool lists)
    {
        PageRule rule;
        const QJsonObject object = this->object(value, path);
        QStringList keys{QStringLiteral("path"), QStringLiteral("root"), QStringLiteral("fields")};
        if (rows) {
            keys << QStringLiteral("rows");
        }
        if (lists) {
            keys << QStringLiteral("lists");
        }
        if (failed() || !onlyKeys(object, path, keys)) {
            return rule;
        }
        rule.path = text(object, QStringLiteral("path"), path, true);
        if (!failed() &&
            (!rule.path.startsWith(QLatin1Char('/')) || rule.path.startsWith(QStringLiteral("//")) ||
             rule.path.count(placeholder) != 1 || rule.path.contains(QLatin1Char('\\')))) {
            fail(path + QStringLiteral(".path"),
                 QStringLiteral("must be an absolute path with %1 exactly once").arg(placeholder));
        }
        rule.root = selectors(object.value(QStringLiteral("root")), path + QStringLiteral(".root"));
        if (rows) {
            rule.rows = selectors(object.value(QStringLiteral("rows")), path + QStringLiteral(".rows"));
        }
        rule.fields = fields(object.value(QStringLiteral("fields")), path + QStringLiteral(".fields"), set);
        if (lists && !failed()) {
            const QString listsPath = path + QStringLiteral(".lists");
            const QJsonObject listObject = this->object(object.value(QStringLiteral("lists")), listsPath);
            if (!failed() && onlyKeys(listObject, listsPath, {QString(kProductLines)})) {
                rule.lists.insert(QString(kProductLines), list(listObject.value(kProductLines),
                                                               listsPath + QLatin1Char('.') + kProductLines));
            }
        }
        return rule;
    }

    ListRule list(const QJsonValue& value, const QString& path)
    {
        ListRule rule;
        const QJsonObject object = this->object(value, path);
        if (failed() || !onlyKeys(object, path, {QStringLiteral("rows"), QStringLiteral("fields")})) {
            return rule;
        }
        rule.rows = selectors(object.value(QStringLiteral("rows")), path + QStringLiteral(".rows"));
        rule.fields = fields(object.value(QStringLiteral("fields")), path + QStringLiteral(".fields"),
                             productLineFields());
        return rule;
    }

private:
    std::optional<Error> m_error;
};

QJsonArray queries(const SelectorProfile& profile, const QList<Selector>& selectors)
{
    QJsonArray out;
    for (const Selector& s : selectors) {
        const QString& v = s.value;
        switch (s.kind) {
        case SelectorKind::TestId:
            out.append(QJsonObject{
                {QStringLiteral("css"), QStringLiteral("[%1=\"%2\"]").arg(profile.testIdAttribute, v)}});
            break;
        case SelectorKind::NameId:
            out.append(QJsonObject{
                {QStringLiteral("css"), QStringLiteral("[name=\"%1\"], [id=\"%1\"], [id$=\"-%1\"]").arg(v)}});
            break;
        case SelectorKind::Class:
            out.append(QJsonObject{{QStringLiteral("css"), QString(QLatin1Char('.') + v)}});
            break;
        case SelectorKind::Css:
            out.append(QJsonObject{{QStringLiteral("css"), v}});
            break;
        case SelectorKind::Text:
            out.append(QJsonObject{{QStringLiteral("label"), v}});
            break;
        case SelectorKind::Self:
            out.append(QJsonObject{{QStringLiteral("self"), true}});
            break;
        }
    }
    return out;
}

QJsonArray fieldArgs(const SelectorProfile& profile, const QMap<QString, FieldRule>& fields)
{
    QJsonArray out;
    for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
        const FieldRule& rule = it.value();
        const QString read = rule.read == ReadAs::Html        ? QStringLiteral("html")
                             : rule.read == ReadAs::Attribute ? QStringLiteral("attribute")
                                                              : QStringLiteral("text");
        out.append(QJsonObject{{QStringLiteral("name"), it.key()},
                               {QStringLiteral("queries"), queries(profile, rule.selectors)},
                               {QStringLiteral("pick"), rule.pick},
                               {QStringLiteral("index"), rule.index},
                               {QStringLiteral("read"), read},
                               {QStringLiteral("attributes"), QJsonArray::fromStringList(rule.attributes)}});
    }
    return out;
}

} // namespace

QString SelectorProfile::schedulePath(QDate date) const
{
    return QString(schedule.path).replace(QStringLiteral("{date}"), date.toString(Qt::ISODate));
}

QString SelectorProfile::consultationPath(const QString& consultationId) const
{
    return QString(consultation.path).replace(QStringLiteral("{id}"), consultationId);
}

Result<SelectorProfile> parseSelectorProfile(QByteArrayView json)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return fail(
            QString(kSelectorProfileInvalid),
            QStringLiteral("not JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset));
    }
    Reader r;
    const QJsonObject root = r.object(document.object(), QStringLiteral("(profile)"));
    if (!document.isObject()) {
        r.fail(QStringLiteral("(profile)"), QStringLiteral("must be an object"));
    }
    SelectorProfile profile;
    if (!r.failed() &&
        r.onlyKeys(root, QStringLiteral("(profile)"),
                   {QStringLiteral("format"), QStringLiteral("name"), QStringLiteral("revision"),
                    QStringLiteral("test_id_attribute"), QStringLiteral("pages")})) {
        if (root.value(QStringLiteral("format")) != QJsonValue(1)) {
            r.fail(QStringLiteral("format"), QStringLiteral("must be 1"));
        }
        profile.name = r.text(root, QStringLiteral("name"), QStringLiteral("(profile)"), true);
        profile.revision = r.text(root, QStringLiteral("revision"), QStringLiteral("(profile)"), true);
        if (root.contains(QStringLiteral("test_id_attribute"))) {
            profile.testIdAttribute =
                r.text(root, QStringLiteral("test_id_attribute"), QStringLiteral("(profile)"), true);
            if (!r.failed() && !matches(kAttributeName, profile.testIdAttribute)) {
                r.fail(QStringLiteral("test_id_attribute"), QStringLiteral("not an attribute name"));
            }
        }
        const QJsonObject pages = r.object(root.value(QStringLiteral("pages")), QStringLiteral("pages"));
        if (!r.failed() && r.onlyKeys(pages, QStringLiteral("pages"),
                                      {QStringLiteral("schedule"), QStringLiteral("consultation")})) {
            profile.schedule =
                r.page(pages.value(QStringLiteral("schedule")), QStringLiteral("pages.schedule"),
                       QStringLiteral("{date}"), scheduleFields(), true, false);
            profile.consultation =
                r.page(pages.value(QStringLiteral("consultation")), QStringLiteral("pages.consultation"),
                       QStringLiteral("{id}"), consultationFields(), false, true);
        }
    }
    if (r.failed()) {
        return std::unexpected(r.error());
    }
    return profile;
}

QJsonObject domScriptArgs(const SelectorProfile& profile, const PageRule& page, int settleMs)
{
    QJsonArray lists;
    for (auto it = page.lists.cbegin(); it != page.lists.cend(); ++it) {
        lists.append(QJsonObject{{QStringLiteral("name"), it.key()},
                                 {QStringLiteral("rows"), queries(profile, it.value().rows)},
                                 {QStringLiteral("fields"), fieldArgs(profile, it.value().fields)}});
    }
    return QJsonObject{{QStringLiteral("root"), queries(profile, page.root)},
                       {QStringLiteral("rows"), queries(profile, page.rows)},
                       {QStringLiteral("fields"), fieldArgs(profile, page.fields)},
                       {QStringLiteral("lists"), lists},
                       {QStringLiteral("settleMs"), settleMs}};
}

} // namespace odis::sync
