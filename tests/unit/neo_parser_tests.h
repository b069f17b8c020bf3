#pragma once

// The test classes of tst_neo_parsers, one per area; tst_neo_parsers.cpp runs them all.

#include <QObject>

class NeoResponseTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void statusMapping_data();
    void statusMapping();
    void statusNames_data();
    void statusNames();
    void idNormalisation_data();
    void idNormalisation();
    void localDateTime_data();
    void localDateTime();
    void hostileTimesResolve_data();
    void hostileTimesResolve();
    void clientNameSplit_data();
    void clientNameSplit();
    void httpStatus_data();
    void httpStatus();
    void htmlInsteadOfJson_data();
    void htmlInsteadOfJson();
    void loginPageDetector_data();
    void loginPageDetector();
    void invalidJson_data();
    void invalidJson();
    void unexpectedShape_data();
    void unexpectedShape();
    void driftLogCountsAndCaps();
    void driftSafeKeepsLogsClean_data();
    void driftSafeKeepsLogsClean();
};

class NeoScheduleParserTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void currentShapeFields_data();
    void currentShapeFields();
    void currentShapeStatuses_data();
    void currentShapeStatuses();
    void olderShapeFields_data();
    void olderShapeFields();
    void wrappers_data();
    void wrappers();
    void emptyScheduleIsData_data();
    void emptyScheduleIsData();
    void appointmentIdRule_data();
    void appointmentIdRule();
    void driftWarnings();
    void unknownWrapperFieldIsDrift();
    void hostileValues();
    void hugeValues();
    void hostileRows_data();
    void hostileRows();
    void warningsCarryNoClinicData();
};

class NeoConsultationParserTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void currentShape();
    void currentShapeSummaryFallback();
    void olderShape();
    void requestedIdMustMatch_data();
    void requestedIdMustMatch();
    void summarySource_data();
    void summarySource();
    void hostileValues();
    void missingObjectsAreOneWarningEach();
    void notFoundIsAnError();
};

class NeoAppointmentConfigParserTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void appointmentDetail();
    void appointmentCancelledDeleted();
    void appointmentBlock();
    void appointmentIdMismatch();
    void appointmentDrift();
    void appointmentTypeWithoutId();
    void scheduleConfigs();
    void appointmentView();
    void configDrift();
};
