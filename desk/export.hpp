#pragma once

// The desk's export for レセコン and spreadsheets (docs/export.md): for each stored check-in with
// a qualification result, the result as an OQS `face` file
// (`OQSsiquc01res_face_<id>_<yyyyMMddHHmmss>.xml`, the format a 資格確認端末 writes to its face
// folder, so a レセコン that already reads that folder picks it up), and a CSV of the day
// (`checkins-YYYY-MM-DD.csv`). Every file is written under a hidden temporary name and renamed
// when complete (files::publishFile), so a reader never sees half a file.
//
// Export runs after a check-in is durable in the store: a failed export never loses a check-in;
// it is logged, and `uketsuke-desk export --date YYYY-MM-DD` writes the day again.

#include "base/result.hpp"
#include "base/time.hpp"
#include "desk/store.hpp"
#include "kiosk/model/oqs_xml.hpp"

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace uketsuke::desk {

struct ExportSettings {
    std::filesystem::path dir; // export.dir: empty = no export
    kiosk::model::XmlEncoding encoding = kiosk::model::XmlEncoding::Utf8; // export.encoding
};

// `OQSsiquc01res_face_<id>_<yyyyMMddHHmmss>.xml`: the desk's row id and checked_at in the
// clinic's zone.
std::string faceFileName(const StoredCheckIn& row, const time::Zone& zone);

// `checkins-YYYY-MM-DD.csv`.
std::string csvFileName(const std::string& localDate);

// The day's CSV: UTF-8 with a byte order mark (so Excel on a Japanese Windows reads it as
// UTF-8, not as Shift_JIS), CRLF line ends, RFC 4180 quoting, the header line then one line per
// check-in in the order given. Columns: docs/export.md.
std::string dayCsv(const std::vector<StoredCheckIn>& rows);

class Exporter {
public:
    Exporter(ExportSettings settings, time::Zone zone);

    bool enabled() const { return !m_settings.dir.empty(); }

    // Writes the face file of `row` (nothing when it has no qualification result) and rewrites
    // the CSV of its day from `store`. Blocks on the file system; thread: any (the files of one
    // day are written under a lock, so two ingests cannot publish an older CSV last).
    // Errors: StorageError (cannot write; the folder is created 0750 when missing, files are
    // 0640), Internal (no
    // Shift_JIS converter), and those of DeskStore::listByLocalDate.
    Result<void> exportCheckIn(DeskStore& store, const StoredCheckIn& row);

    // Writes every face file and the CSV of `localDate` again; returns how many check-ins the
    // day has. Errors: as exportCheckIn, InvalidArgument (not YYYY-MM-DD, or export is off).
    Result<int> exportDay(DeskStore& store, const std::string& localDate);

    // Deletes the export files (face files and CSVs, by their names) last written more than
    // `days` days ago: they hold personal data, like the store (retention_days). Other files in
    // the folder are left alone. Returns how many were deleted. Errors: StorageError.
    Result<int> purgeOlderThan(int days);

private:
    Result<void> writeFace(const StoredCheckIn& row);
    Result<void> writeCsv(DeskStore& store, const std::string& localDate);

    ExportSettings m_settings;
    time::Zone m_zone;
    std::mutex m_mutex; // serialises the CSV rewrites
};

} // namespace uketsuke::desk
