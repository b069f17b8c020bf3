#include "agent/verbs/failed_verb.h"

#include "agent/verbs/verb_support.h"
#include "storage/codes/backend_codes.h"
#include "sync/backend/outbox.h"

#include <QTextStream>

namespace odis::agent {

namespace {

const QString kVerb = QStringLiteral("failed");

void list(AgentContext& ctx, const std::function<void(int)>& exit)
{
    sync::Outbox outbox(ctx.db(), ctx.clock);
    auto items = outbox.failedItems();
    if (!items) {
        printVerbError(kVerb, QStringLiteral("cannot read the failed queue"), items.error());
        exit(exit_code::kCannotRun);
        return;
    }
    QTextStream out(stdout);
    out << items->size() << " failed item(s)\n";
    for (const sync::FailedItem& item : std::as_const(*items)) {
        out << "  " << QString::number(item.id).leftJustified(6) << " " << item.key.leftJustified(36) << " "
            << item.failedAt.toString(Qt::ISODate) << "  attempts " << item.attempts << "  " << item.lastError
            << "\n";
    }
    out.flush();
    exit(exit_code::kOk);
}

void retry(AgentContext& ctx, const QString& which, const std::function<void(int)>& exit)
{
    sync::Outbox outbox(ctx.db(), ctx.clock);
    if (which == QLatin1String("--all")) {
        auto back = outbox.retryAllFailed();
        if (!back) {
            printVerbError(kVerb, QStringLiteral("cannot retry"), back.error());
            exit(exit_code::kCannotRun);
            return;
        }
        QTextStream(stdout) << *back << " item(s) back in the outbox; the next sync uploads them" << Qt::endl;
        exit(exit_code::kOk);
        return;
    }
    bool isNumber = false;
    const qint64 id = which.toLongLong(&isNumber);
    if (!isNumber) {
        printUsageError(kVerb, QStringLiteral("retry takes an item id (from `failed list`) or --all"));
        exit(exit_code::kUsage);
        return;
    }
    if (auto back = outbox.retryFailed(id); !back) {
        printVerbError(kVerb, QStringLiteral("cannot retry item %1").arg(id), back.error());
        exit(back.error().code == codes::kOutboxItemNotFound ? exit_code::kFailed : exit_code::kCannotRun);
        return;
    }
    QTextStream(stdout) << "item " << id << " back in the outbox; the next sync uploads it" << Qt::endl;
    exit(exit_code::kOk);
}

} // namespace

void runFailedVerb(const QStringList& arguments, const std::function<void(int)>& exit)
{
    const bool isList = arguments == QStringList{QStringLiteral("list")};
    const bool isRetry = arguments.size() == 2 && arguments.first() == QLatin1String("retry");
    if (!isList && !isRetry) {
        printUsageError(kVerb, QStringLiteral("use `failed list` or `failed retry <id>|--all`"));
        exit(exit_code::kUsage);
        return;
    }
    startVerb(kVerb, exit, [arguments, isList, exit](AgentContext& ctx, const AgentConfig&) {
        if (isList)
            list(ctx, exit);
        else
            retry(ctx, arguments.at(1), exit);
    });
}

} // namespace odis::agent
