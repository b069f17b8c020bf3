#pragma once

// The failed queue: items the backend rejected, waiting for a person (sync/backend/outbox.h), with Retry
// (the selected one) and Retry all; they join the next sync's upload. Keys, times and the backend's error
// code only.

#include <QWidget>

class QPushButton;
class QTableWidget;

namespace odis {
class Clock;
}
namespace odis::storage {
class Database;
}

namespace odis::ui {

class FailedPanel : public QWidget
{
    Q_OBJECT

public:
    FailedPanel(storage::Database& db, const Clock& clock, QWidget* parent = nullptr);

    void reload();
    [[nodiscard]] QTableWidget* table() const { return m_table; }

Q_SIGNALS:
    void retried(); // items went back to the queue

private:
    void retrySelected();
    void retryAll();

    storage::Database& m_db;
    const Clock& m_clock;
    QTableWidget* m_table = nullptr;
    QPushButton* m_retry = nullptr;
    QPushButton* m_retryAll = nullptr;
};

} // namespace odis::ui
