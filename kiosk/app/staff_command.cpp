#include "kiosk/app/staff_command.hpp"

#include "base/files.hpp"
#include "base/log.hpp"
#include "base/no_echo.hpp"
#include "kiosk/config/staff_accounts.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string.h> // explicit_bzero

namespace uketsuke::kiosk::app {
namespace {

const log::Category kLog("staff.accounts");

// One line of digits into a StaffPin; false when the line is not 4-8 digits. The line's copy
// is wiped character by character as it is read.
bool readPinLine(std::istream& in, StaffPin& pin)
{
    pin.wipe();
    bool ok = true;
    std::size_t count = 0;
    char c = 0;
    while (in.get(c) && c != '\n') {
        if (c == '\r') {
            continue;
        }
        ++count;
        if (!pin.push(c)) {
            ok = false;
        }
        c = 0;
    }
    return ok && count == pin.size() && pin.complete();
}

Result<StaffPin> askPin(std::istream& in, bool interactive, std::ostream& err)
{
    StaffPin pin;
    if (!interactive) {
        if (!readPinLine(in, pin)) {
            return fail(Errc::InvalidArgument, "the PIN must be 4 to 8 digits");
        }
        return pin;
    }
    NoEcho quiet;
    err << "New staff PIN (4-8 digits): " << std::flush;
    const bool first = readPinLine(in, pin);
    err << "\nAgain: " << std::flush;
    StaffPin again;
    const bool second = readPinLine(in, again);
    err << "\n";
    if (!first || !second) {
        return fail(Errc::InvalidArgument, "the PIN must be 4 to 8 digits");
    }
    const auto a = pin.digits();
    const auto b = again.digits();
    if (a.size() != b.size() || !std::equal(a.begin(), a.end(), b.begin())) {
        return fail(Errc::InvalidArgument, "the two PINs differ");
    }
    return pin;
}

} // namespace

int staffCommand(const config::KioskConfig& config, std::istream& in, bool interactive,
                 std::ostream& out, std::ostream& err)
{
    using Action = config::KioskConfig::Action;
    const std::string& path = config.staffAccounts;
    auto accounts = config::StaffAccounts::load(path);
    if (!accounts) {
        err << "uketsuke-kiosk: " << accounts.error().message << "\n";
        return accounts.error().code == Errc::ConfigInvalid ? 2 : 1;
    }
    if (config.action == Action::StaffList) {
        for (const auto& a : accounts->accounts()) {
            out << a.id << " " << staff::roleName(a.role) << (a.disabled ? " disabled" : "")
                << "\n";
        }
        return 0;
    }

    Result<void> changed;
    const char* what = "";
    if (config.action == Action::StaffDisable) {
        changed = accounts->disable(config.staffId);
        what = "disabled";
    } else {
        if (config.action == Action::StaffAdd && accounts->find(config.staffId) != nullptr) {
            err << "uketsuke-kiosk: staff add: the id " << config.staffId
                << " exists already (use staff passwd)\n";
            return 2;
        }
        if (config.action == Action::StaffPasswd && accounts->find(config.staffId) == nullptr) {
            err << "uketsuke-kiosk: staff passwd: no staff account " << config.staffId << "\n";
            return 2;
        }
        auto pin = askPin(in, interactive, err);
        if (!pin) {
            err << "uketsuke-kiosk: " << pin.error().message << "\n";
            return 2;
        }
        if (config.action == Action::StaffAdd) {
            changed = accounts->add(config.staffId, *config::staffRoleFromName(config.staffRole),
                                    *pin);
            what = "added";
        } else {
            changed = accounts->setPin(config.staffId, *pin);
            what = "PIN changed";
        }
    }
    if (!changed) {
        err << "uketsuke-kiosk: staff: " << changed.error().message << "\n";
        return changed.error().code == Errc::InvalidArgument ? 2 : 1;
    }
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    if (!folder.empty()) {
        if (auto dir = files::ensurePrivateDir(folder); !dir) {
            err << "uketsuke-kiosk: " << dir.error().message << "\n";
            return 1;
        }
    }
    if (auto saved = accounts->save(path); !saved) {
        err << "uketsuke-kiosk: " << saved.error().message << "\n";
        return 1;
    }
    UKETSUKE_LOG(kLog, Info) << "staff account " << config.staffId << " " << what;
    out << "staff " << config.staffId << ": " << what << "\n";
    return 0;
}

} // namespace uketsuke::kiosk::app
