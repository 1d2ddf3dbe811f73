#include "desk/export.hpp"

#include "base/files.hpp"
#include "base/log.hpp"
#include "kiosk/model/derived.hpp"
#include "kiosk/model/qualification.hpp"

#include <array>
#include <string_view>

namespace uketsuke::desk {
namespace {

const log::Category kLog("desk.export");

// The export folder is often shared with a レセコン running as another user (a Samba share,
// a group): files are readable by the folder's group, never by everyone. A folder the desk
// creates is 0750; an existing one keeps its owner and modes.
constexpr mode_t kExportFileMode = 0640;
constexpr auto kExportDirMode = std::filesystem::perms(0750);

Result<void> ensureExportDir(const std::filesystem::path& dir)
{
    std::error_code error;
    if (std::filesystem::is_directory(dir, error)) {
        return ok();
    }
    if (!std::filesystem::create_directories(dir, error) && error) {
        return fail(Errc::StorageError,
                    "cannot create export folder " + dir.string() + ": " + error.message());
    }
    std::filesystem::permissions(dir, kExportDirMode, error);
    if (error) {
        return fail(Errc::StorageError,
                    "cannot set the mode of export folder " + dir.string() + ": " +
                        error.message());
    }
    return ok();
}

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kFacePrefix = "OQSsiquc01res_face_";

constexpr std::array<std::string_view, 18> kColumns = {
    "id",          "receipt_number", "local_date",     "local_time",   "terminal_id",
    "method",      "outcome",        "problem",        "name",         "name_kana",
    "insurer_number", "symbol",      "number",         "branch",       "burden_ratio",
    "birth_date",  "duplicate_receipt", "received_at",
};

// One CSV field: quoted when it holds a comma, a quote or a line end (RFC 4180); a field that
// a spreadsheet would take for a formula (= + - @ at the start) gets a leading apostrophe.
void appendField(std::string& line, std::string_view value)
{
    std::string text;
    if (!value.empty() &&
        (value.front() == '=' || value.front() == '+' || value.front() == '-' ||
         value.front() == '@')) {
        text = "'";
    }
    text += value;
    if (!line.empty() && line.back() != '\n') {
        line += ',';
    }
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
        line += text;
        return;
    }
    line += '"';
    for (char c : text) {
        if (c == '"') {
            line += '"';
        }
        line += c;
    }
    line += '"';
}

// The error code that says why a check-in did not pass: the header's ErrorCode, else the
// body's ProcessingResultCode (on a valid result: its supplementary warning), else the
// ReasonOfLoss of a lost one.
std::string problemOf(const kiosk::model::QualificationResult& result)
{
    if (!result.header.errorCode.empty()) {
        return result.header.errorCode;
    }
    if (!result.body.processingResultCode.empty()) {
        return result.body.processingResultCode;
    }
    if (const auto* p = kiosk::model::person(result); p != nullptr) {
        return p->reasonOfLoss;
    }
    return {};
}

std::string compactOf(const std::string& isoDate)
{
    std::string out;
    for (char c : isoDate) {
        if (c != '-') {
            out += c;
        }
    }
    return out;
}

std::vector<std::string> csvRow(const StoredCheckIn& row)
{
    const auto& c = row.checkIn;
    std::vector<std::string> out(kColumns.size());
    out[0] = std::to_string(row.id);
    out[1] = c.receiptNumber;
    out[2] = row.localDate;
    out[3] = row.localTime;
    out[4] = c.terminalId;
    out[5] = std::string(c.method.name());
    out[6] = std::string(c.outcome.name());
    out[16] = row.duplicateReceipt ? "1" : "0";
    out[17] = row.receivedAt;
    if (c.qualification) {
        out[7] = problemOf(*c.qualification);
        if (const auto* p = kiosk::model::person(*c.qualification); p != nullptr) {
            std::string serviceDate = c.qualification->header.qualificationConfirmationDate;
            if (serviceDate.empty()) {
                serviceDate = compactOf(row.localDate);
            }
            const auto ratio = kiosk::model::copayRatio(*p, serviceDate);
            out[8] = p->name.reveal();
            out[9] = p->nameKana.reveal();
            out[10] = p->insurerNumber;
            out[11] = p->insuredCardSymbol;
            out[12] = p->insuredIdentificationNumber;
            out[13] = p->insuredBranchNumber;
            out[14] = ratio.percent > 0 ? std::to_string(ratio.percent) : std::string();
            out[15] = p->birthdate;
        }
    }
    return out;
}

} // namespace

std::string faceFileName(const StoredCheckIn& row, const time::Zone& zone)
{
    std::string stamp;
    if (auto at = time::parseIsoUtc(row.checkIn.checkedAt)) {
        stamp = zone.local(*at).compact();
    } else {
        // An offset the parser does not take: the stored local minute.
        stamp = compactOf(row.localDate) + compactOf(row.localTime).erase(2, 1) + "00";
    }
    return std::string(kFacePrefix) + std::to_string(row.id) + "_" + stamp + ".xml";
}

std::string csvFileName(const std::string& localDate)
{
    return "checkins-" + localDate + ".csv";
}

std::string dayCsv(const std::vector<StoredCheckIn>& rows)
{
    std::string text(kBom);
    std::string line;
    for (auto column : kColumns) {
        appendField(line, column);
    }
    text += line + "\r\n";
    for (const auto& row : rows) {
        line.clear();
        for (const auto& field : csvRow(row)) {
            appendField(line, field);
        }
        text += line + "\r\n";
    }
    return text;
}

Exporter::Exporter(ExportSettings settings, time::Zone zone)
    : m_settings(std::move(settings)), m_zone(std::move(zone))
{
}

Result<void> Exporter::writeFace(const StoredCheckIn& row)
{
    if (!row.checkIn.qualification) {
        return ok();
    }
    auto xml = kiosk::model::writeOqsResultXml(*row.checkIn.qualification, m_settings.encoding);
    if (!xml) {
        return fail(std::move(xml).error());
    }
    return files::publishFile(m_settings.dir / faceFileName(row, m_zone), *xml,
                              {kExportFileMode, files::Existing::Replace});
}

Result<void> Exporter::writeCsv(DeskStore& store, const std::string& localDate)
{
    std::lock_guard lock(m_mutex);
    auto rows = store.listByLocalDate(localDate);
    if (!rows) {
        return fail(std::move(rows).error());
    }
    // The list is newest first; a day's file reads in the order patients came.
    std::vector<StoredCheckIn> ordered(rows->rbegin(), rows->rend());
    return files::publishFile(m_settings.dir / csvFileName(localDate), dayCsv(ordered),
                              {kExportFileMode, files::Existing::Replace});
}

Result<void> Exporter::exportCheckIn(DeskStore& store, const StoredCheckIn& row)
{
    if (!enabled()) {
        return ok();
    }
    if (auto dir = ensureExportDir(m_settings.dir); !dir) {
        return dir;
    }
    if (auto face = writeFace(row); !face) {
        return face;
    }
    return writeCsv(store, row.localDate);
}

Result<int> Exporter::purgeOlderThan(int days)
{
    if (!enabled()) {
        return 0;
    }
    std::error_code error;
    if (!std::filesystem::is_directory(m_settings.dir, error)) {
        return 0;
    }
    const auto cutoff = std::filesystem::file_time_type::clock::now() - std::chrono::days(days);
    int removed = 0;
    std::filesystem::directory_iterator it(m_settings.dir, error);
    for (; !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
        const std::string name = it->path().filename().string();
        const bool ours = (name.rfind(kFacePrefix, 0) == 0 && name.ends_with(".xml")) ||
                          (name.rfind("checkins-", 0) == 0 && name.ends_with(".csv"));
        std::error_code fileError;
        if (!ours || !it->is_regular_file(fileError) ||
            it->last_write_time(fileError) >= cutoff || fileError) {
            continue;
        }
        if (std::filesystem::remove(it->path(), fileError)) {
            ++removed;
        }
    }
    if (error) {
        return fail(Errc::StorageError,
                    "cannot read export folder " + m_settings.dir.string() + ": " +
                        error.message());
    }
    return removed;
}

Result<int> Exporter::exportDay(DeskStore& store, const std::string& localDate)
{
    if (!enabled()) {
        return fail(Errc::InvalidArgument, "export.dir is not set");
    }
    if (!isIsoDate(localDate)) {
        return fail(Errc::InvalidArgument, "date is not YYYY-MM-DD");
    }
    if (auto dir = ensureExportDir(m_settings.dir); !dir) {
        return fail(std::move(dir).error());
    }
    auto rows = store.listByLocalDate(localDate);
    if (!rows) {
        return fail(std::move(rows).error());
    }
    for (const auto& row : *rows) {
        if (auto face = writeFace(row); !face) {
            return fail(std::move(face).error());
        }
    }
    if (auto csv = writeCsv(store, localDate); !csv) {
        return fail(std::move(csv).error());
    }
    UKETSUKE_LOG(kLog, Info) << "exported " << rows->size() << " check-ins of " << localDate;
    return static_cast<int>(rows->size());
}

} // namespace uketsuke::desk
