#pragma once

// A check-in as a terminal would send it, with a fictional person, for desk and delivery tests.

#include "kiosk/model/checkin.hpp"
#include "kiosk/model/health.hpp"

#include <ctime>
#include <string>

namespace uketsuke::tests {

// ISO 8601 UTC for `when` (default: now).
inline std::string isoUtc(std::time_t when = std::time(nullptr))
{
    std::tm utc{};
    gmtime_r(&when, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

inline kiosk::model::CheckIn sampleCheckIn(const std::string& key,
                                           const std::string& receiptNumber = "0001",
                                           const std::string& name = "試験 花子",
                                           const std::string& terminalId = "KIOSK-0001")
{
    kiosk::model::CheckIn checkIn;
    checkIn.idempotencyKey = key;
    checkIn.terminalId = terminalId;
    checkIn.receiptNumber = receiptNumber;
    checkIn.checkedAt = isoUtc();
    checkIn.method = kiosk::model::Method::Pin;
    checkIn.outcome = kiosk::model::Outcome::Valid;
    kiosk::model::QualificationResult result;
    result.header.segmentOfResult = "1";
    result.body.processingResultStatus = "1";
    result.body.qualificationValidity = "1";
    kiosk::model::ResultOfQualificationConfirmation person;
    person.insurerNumber = "06130012";
    person.name = PatientName(name);
    person.nameKana = PatientName("ｼｹﾝ ﾊﾅｺ");
    person.birthdate = "19800101";
    result.body.resultList.push_back(person);
    checkIn.qualification = result;
    return checkIn;
}

// A health report of `terminalId` at `reportedAt`, its printer out of paper.
inline kiosk::model::TerminalHealth sampleHealth(const std::string& terminalId = "KIOSK-0001",
                                                 const std::string& reportedAt = isoUtc())
{
    kiosk::model::TerminalHealth health;
    health.terminalId = terminalId;
    health.reportedAt = reportedAt;
    health.printer.online = false;
    health.printer.paperOut = true;
    health.readerAvailable = true;
    health.outboxDepth = 2;
    return health;
}

} // namespace uketsuke::tests
