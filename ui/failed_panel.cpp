#include "ui/failed_panel.h"

#include "sync/backend/outbox.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

namespace odis::ui {

namespace {

QTableWidgetItem* cell(const QString& text)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    return item;
}

} // namespace

FailedPanel::FailedPanel(storage::Database& db, const Clock& clock, QWidget* parent)
    : QWidget(parent)
    , m_db(db)
    , m_clock(clock)
{
    setObjectName(QStringLiteral("failed"));
    setAccessibleName(tr("Failed queue"));
    m_table = new QTableWidget(0, 4, this);
    m_table->setObjectName(QStringLiteral("failed_table"));
    m_table->setAccessibleName(tr("Items the backend did not accept"));
    m_table->setHorizontalHeaderLabels({tr("Item"), tr("Failed at (UTC)"), tr("Attempts"), tr("Error")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Tab leaves the table (the arrow keys move between its cells): a keyboard user is not walked through
    // every cell of every row.
    m_table->setTabKeyNavigation(false);
    m_retry = new QPushButton(tr("&Retry selected"), this);
    m_retry->setObjectName(QStringLiteral("retry_selected"));
    m_retry->setAccessibleName(tr("Retry the selected item"));
    m_retryAll = new QPushButton(tr("Retry &all"), this);
    m_retryAll->setObjectName(QStringLiteral("retry_all"));
    m_retryAll->setAccessibleName(tr("Retry every failed item"));
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_retry);
    buttons->addWidget(m_retryAll);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    connect(m_retry, &QPushButton::clicked, this, &FailedPanel::retrySelected);
    connect(m_retryAll, &QPushButton::clicked, this, &FailedPanel::retryAll);
    connect(m_table, &QTableWidget::itemSelectionChanged, this,
            [this] { m_retry->setEnabled(!m_table->selectedItems().isEmpty()); });
}

void FailedPanel::reload()
{
    auto items = sync::Outbox(m_db, m_clock).failedItems();
    if (!items) {
        spdlog::warn("dashboard: failed queue not read ({})", items.error().code.toStdString());
        return;
    }
    m_table->setRowCount(static_cast<int>(items->size()));
    int r = 0;
    for (const sync::FailedItem& item : std::as_const(*items)) {
        QTableWidgetItem* key = cell(item.key);
        key->setData(Qt::UserRole, item.id);
        m_table->setItem(r, 0, key);
        m_table->setItem(r, 1, cell(item.failedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
        m_table->setItem(r, 2, cell(QString::number(item.attempts)));
        m_table->setItem(r, 3, cell(item.lastError));
        ++r;
    }
    m_retry->setEnabled(!m_table->selectedItems().isEmpty());
    m_retryAll->setEnabled(r > 0);
}

void FailedPanel::retrySelected()
{
    const QList<QTableWidgetItem*> selected = m_table->selectedItems();
    if (selected.isEmpty())
        return;
    const qint64 id = m_table->item(selected.first()->row(), 0)->data(Qt::UserRole).toLongLong();
    if (auto back = sync::Outbox(m_db, m_clock).retryFailed(id); !back) {
        QMessageBox::warning(this, tr("Retry"),
                             tr("The item could not be retried: %1").arg(back.error().message));
        return;
    }
    spdlog::info("dashboard: failed item {} put back in the queue", id);
    reload();
    Q_EMIT retried();
}

void FailedPanel::retryAll()
{
    auto back = sync::Outbox(m_db, m_clock).retryAllFailed();
    if (!back) {
        QMessageBox::warning(this, tr("Retry"),
                             tr("The items could not be retried: %1").arg(back.error().message));
        return;
    }
    spdlog::info("dashboard: {} failed item(s) put back in the queue", *back);
    reload();
    Q_EMIT retried();
}

} // namespace odis::ui
