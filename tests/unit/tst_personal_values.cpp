// The personal data of a Neo read that the run registers with the log redactor (sync/core/
// personal_values.h): every name, phone and e-mail, and nothing that is not one.

#include "sync/core/personal_values.h"

#include <QSet>
#include <QTest>

using namespace odis::sync;

class TestPersonalValues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scheduleEvent()
    {
        NeoScheduleEvent event;
        event.appointmentId = QStringLiteral("640025");
        event.patientName = QStringLiteral("BISCUIT");
        event.clientFirstName = QStringLiteral("Jane");
        event.clientLastName = QStringLiteral("Doe");
        event.email = QStringLiteral("jane@example.com");
        event.phoneRaw = QStringLiteral("(555) 201-3344");
        event.providerName = QStringLiteral("Dr. Sam Lee");
        event.reason = QStringLiteral("Vaccination");
        const QStringList values = personalValues(event);
        for (const char* expected : {"BISCUIT", "Jane", "Doe", "Jane Doe", "Doe, Jane", "jane@example.com",
                                     "(555) 201-3344", "Dr. Sam Lee", "Sam", "Lee"})
            QVERIFY2(values.contains(QLatin1String(expected)), expected);
        QVERIFY(!values.contains(QStringLiteral("640025")));
        QVERIFY(!values.contains(QStringLiteral("Vaccination")));
        QVERIFY(!values.contains(QString()));
        QCOMPARE(values.size(), QSet<QString>(values.begin(), values.end()).size());
    }

    // A consultation and an appointment are read for fewer fields (sync/core/neo_contract.cpp): the
    // owner's phones and the staff's names are what they carry that is personal.
    void consultationAndDetail()
    {
        NeoConsultation consultation;
        consultation.client.phone = QStringLiteral("+44 20 7946 0958");
        consultation.providers = {
            NeoProvider{QStringLiteral("9"), QStringLiteral("Anna Vet"), QStringLiteral("Vet")}};
        const QStringList c = personalValues(consultation);
        for (const char* expected : {"+44 20 7946 0958", "Anna Vet"})
            QVERIFY2(c.contains(QLatin1String(expected)), expected);

        NeoAppointmentDetail detail;
        detail.client.homePhone = QStringLiteral("415-201-0000");
        detail.client.mobilePhone = QStringLiteral("415-201-1111");
        const QStringList d = personalValues(detail);
        for (const char* expected : {"415-201-0000", "415-201-1111"})
            QVERIFY2(d.contains(QLatin1String(expected)), expected);
    }
};

QTEST_APPLESS_MAIN(TestPersonalValues)
#include "tst_personal_values.moc"
