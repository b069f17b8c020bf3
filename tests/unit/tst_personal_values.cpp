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

    void consultationAndDetail()
    {
        NeoConsultation consultation;
        consultation.patient.name = QStringLiteral("Max");
        consultation.client.nameRaw = QStringLiteral("Smith, John");
        consultation.client.phone = QStringLiteral("+44 20 7946 0958");
        consultation.client.email = QStringLiteral("john@example.co.uk");
        consultation.providers = {NeoProvider{QStringLiteral("9"), QStringLiteral("Anna Vet"),
                                              QStringLiteral("anna@clinic.example"), QStringLiteral("RCVS-1"),
                                              QStringLiteral("Vet")}};
        const QStringList c = personalValues(consultation);
        for (const char* expected : {"Max", "Smith, John", "+44 20 7946 0958", "john@example.co.uk",
                                     "Anna Vet", "anna@clinic.example", "RCVS-1"})
            QVERIFY2(c.contains(QLatin1String(expected)), expected);

        NeoAppointmentDetail detail;
        detail.client.firstName = QStringLiteral("Ola");
        detail.client.lastName = QStringLiteral("Nordmann");
        detail.client.homePhone = QStringLiteral("555-201-0000");
        detail.client.mobilePhone = QStringLiteral("555-201-1111");
        detail.patient.name = QStringLiteral("Rex");
        const QStringList d = personalValues(detail);
        for (const char* expected : {"Ola Nordmann", "555-201-0000", "555-201-1111", "Rex"})
            QVERIFY2(d.contains(QLatin1String(expected)), expected);
    }
};

QTEST_APPLESS_MAIN(TestPersonalValues)
#include "tst_personal_values.moc"
