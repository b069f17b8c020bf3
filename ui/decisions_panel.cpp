#include "ui/decisions_panel.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace odis::ui {

namespace {

QTableWidgetItem* cell(const QString& text)
{
    auto* item = new QTableWidgetItem(text); // plain text, never HTML
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    return item;
}

} // namespace

DecisionsPanel::DecisionsPanel(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("decisions"));
    setAccessibleName(tr("Discharge decisions"));
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("decision_search"));
    m_search->setPlaceholderText(tr("Search by patient or client name"));
    m_search->setAccessibleName(tr("Search decisions by patient or client name"));
    m_search->setClearButtonEnabled(true);
    auto* label = new QLabel(tr("&Search:"), this);
    label->setBuddy(m_search);

    m_table = new QTableWidget(0, 6, this);
    m_table->setObjectName(QStringLiteral("decision_table"));
    m_table->setAccessibleName(tr("Discharge decisions with their reasons"));
    m_table->setHorizontalHeaderLabels(
        {tr("Visit"), tr("Patient"), tr("Client"), tr("Decision"), tr("Call at"), tr("Appointment")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Tab leaves the table (the arrow keys move between its cells): a keyboard user is not walked through
    // every cell of every row.
    m_table->setTabKeyNavigation(false);

    // A QPlainTextEdit holds text only: markup in a note (<img onerror=...>) is shown as the characters it
    // is.
    m_details = new QPlainTextEdit(this);
    m_details->setObjectName(QStringLiteral("decision_details"));
    m_details->setAccessibleName(tr("Why this decision, and the visit's notes"));
    m_details->setReadOnly(true);
    m_details->setPlaceholderText(tr("Select a decision to see why it was made."));

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto* search = new QHBoxLayout;
    search->addWidget(label);
    search->addWidget(m_search, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(search);
    layout->addWidget(split, 1);
    connect(m_search, &QLineEdit::textChanged, this, &DecisionsPanel::fill);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &DecisionsPanel::showDetails);
}

void DecisionsPanel::display(const QList<DecisionRow>& decisions, const QTimeZone& zone)
{
    m_all = decisions;
    m_zone = zone.isValid() ? zone : QTimeZone::utc();
    fill();
}

void DecisionsPanel::fill()
{
    m_shown = searchDecisions(m_all, m_search->text());
    m_table->clearSelection();
    m_details->clear();
    m_table->setRowCount(static_cast<int>(m_shown.size()));
    int r = 0;
    for (const DecisionRow& d : std::as_const(m_shown)) {
        m_table->setItem(r, 0, cell(d.localDate.toString(QStringLiteral("ddd d MMM")) + u' ' + d.visitTime));
        m_table->setItem(r, 1, cell(d.patientName));
        m_table->setItem(r, 2, cell(d.clientName));
        m_table->setItem(r, 3, cell(decisionReasonText(d.decision, d.reason)));
        m_table->setItem(r, 4,
                         cell(d.scheduledForUtc.isValid() ? d.scheduledForUtc.toTimeZone(m_zone).toString(
                                                                QStringLiteral("ddd d MMM, HH:mm"))
                                                          : QString()));
        m_table->setItem(r, 5, cell(d.appointmentId));
        ++r;
    }
}

void DecisionsPanel::showDetails()
{
    const QList<QTableWidgetItem*> selected = m_table->selectedItems();
    if (selected.isEmpty() || selected.first()->row() >= m_shown.size()) {
        m_details->clear();
        return;
    }
    const DecisionRow& d = m_shown.at(selected.first()->row());
    QString text = tr("Decision: %1").arg(decisionReasonText(d.decision, d.reason)) + u'\n' +
                   tr("Rules checked: %1").arg(d.ruleTrace) + QStringLiteral("\n\n") + tr("Notes:") + u'\n' +
                   (d.notesText.isEmpty() ? tr("(none)") : d.notesText);
    m_details->setPlainText(text);
}

} // namespace odis::ui
