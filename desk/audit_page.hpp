#pragma once

// The audit log page (GET /audit, administrators): the newest lines of the desk's audit log —
// staff log-ins and actions at the desk, and what staff did at each terminal's maintenance menu
// (POST /api/v1/terminals/audit) — as one small server-rendered HTML table, times in the
// clinic's zone. Ids and action codes only: the log holds no names, PINs or passwords.
// Pure function: no I/O, so tests render it directly.

#include "base/time.hpp"
#include "desk/accounts.hpp"
#include "kiosk/model/strings.hpp"

#include <string>
#include <vector>

namespace uketsuke::desk {

std::string renderAuditPage(const kiosk::model::StringTable& strings,
                            const std::vector<AuditEntry>& entries, const time::Zone& zone);

// The keys the page uses; a test checks every string table has them.
std::vector<std::string> auditPageStringKeys();

} // namespace uketsuke::desk
