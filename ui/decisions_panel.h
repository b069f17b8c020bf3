#pragma once

// The discharge decisions of the last 14 days with their reasons, searchable by the patient's (or the
// client's) name: the only place in the agent where a patient's name appears. Names and every text from
// Neo are shown as plain text (table items), never as HTML; nothing here is logged.

#include "ui/dashboard_store.h"

#include <QTimeZone>
#include <QWidget>

class QLineEdit;
class QPlainTextEdit;
class QTableWidget;

namespace odis::ui {

class DecisionsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit DecisionsPanel(QWidget* parent = nullptr);

    void display(const QList<DecisionRow>& decisions, const QTimeZone& zone);

    [[nodiscard]] QLineEdit* searchField() const { return m_search; }
    [[nodiscard]] QTableWidget* table() const { return m_table; }
    // The selected decision: why, the rules checked and the consultation's notes, as plain text.
    [[nodiscard]] QPlainTextEdit* details() const { return m_details; }

private:
    void fill();
    void showDetails();

    QLineEdit* m_search = nullptr;
    QTableWidget* m_table = nullptr;
    QPlainTextEdit* m_details = nullptr;
    QList<DecisionRow> m_all;
    QList<DecisionRow> m_shown;
    QTimeZone m_zone;
};

} // namespace odis::ui
