#include "desk/user_command.hpp"

#include "base/files.hpp"
#include "base/no_echo.hpp"
#include "base/time.hpp"
#include "crypto/password.hpp"

#include <filesystem>
#include <iomanip>
#include <optional>

#include <string.h> // explicit_bzero
#include <unistd.h>

namespace uketsuke::desk {
namespace {

constexpr int kExitRefused = 1;
constexpr int kExitBadInput = 2;

// A password read from the user: wiped when it goes.
struct Typed {
    std::string text;
    ~Typed() { explicit_bzero(text.data(), text.size()); }
};

bool readLine(std::istream& in, Typed& line)
{
    if (!std::getline(in, line.text)) {
        return false;
    }
    if (!line.text.empty() && line.text.back() == '\r') {
        line.text.pop_back();
    }
    return true;
}

// The new password, or nullopt after saying why on `err`.
std::optional<std::string> readPassword(const std::string& name, std::istream& in,
                                        bool interactive, std::ostream& err)
{
    Typed first;
    Typed again;
    if (interactive) {
        NoEcho quiet;
        err << "New password for " << name << ": " << std::flush;
        const bool gotFirst = readLine(in, first);
        err << "\nAgain: " << std::flush;
        const bool gotAgain = gotFirst && readLine(in, again);
        err << std::endl;
        if (!gotAgain) {
            err << "uketsuke-desk: user: no password given" << std::endl;
            return std::nullopt;
        }
        if (first.text != again.text) {
            err << "uketsuke-desk: user: the two passwords differ" << std::endl;
            return std::nullopt;
        }
    } else if (!readLine(in, first)) {
        err << "uketsuke-desk: user: no password on stdin (one line)" << std::endl;
        return std::nullopt;
    }
    if (first.text.size() < kMinPasswordLength || first.text.size() > kMaxPasswordLength) {
        err << "uketsuke-desk: user: a password is " << kMinPasswordLength << " to "
            << kMaxPasswordLength << " bytes long" << std::endl;
        return std::nullopt;
    }
    return std::exchange(first.text, std::string());
}

const char* verbName(UserCommand::Verb verb)
{
    switch (verb) {
    case UserCommand::Verb::Add:
        return "add";
    case UserCommand::Verb::Passwd:
        return "passwd";
    case UserCommand::Verb::Disable:
        return "disable";
    case UserCommand::Verb::Enable:
        return "enable";
    case UserCommand::Verb::List:
        return "list";
    }
    return "?";
}

int list(AccountStore& accounts, std::ostream& out, std::ostream& err)
{
    auto all = accounts.list();
    if (!all) {
        err << "uketsuke-desk: user: " << all.error().message << std::endl;
        return kExitRefused;
    }
    out << std::left << std::setw(20) << "NAME" << std::setw(7) << "ROLE" << std::setw(10)
        << "STATE" << std::setw(22) << "CREATED"
        << "LAST LOG-IN\n";
    for (const auto& a : *all) {
        out << std::setw(20) << a.name << std::setw(7) << roleName(a.role) << std::setw(10)
            << (a.disabled ? "disabled" : "enabled") << std::setw(22) << a.createdAt
            << (a.lastLoginAt.empty() ? "-" : a.lastLoginAt) << "\n";
    }
    out << std::flush;
    return 0;
}

} // namespace

int runUserCommand(const UserCommand& command, const DeskOptions& options, std::istream& in,
                   bool interactive, std::ostream& out, std::ostream& err)
{
    if (auto folder = files::ensurePrivateDir(options.dataDir); !folder) {
        err << "uketsuke-desk: data: " << folder.error().message << std::endl;
        return kExitRefused;
    }
    auto accounts =
        AccountStore::open(std::filesystem::path(options.dataDir) / "accounts.sqlite3");
    if (!accounts) {
        err << "uketsuke-desk: data: " << accounts.error().message << std::endl;
        return kExitRefused;
    }
    AccountStore& store = **accounts;
    if (command.verb == UserCommand::Verb::List) {
        return list(store, out, err);
    }

    // Before asking for a password: does the account exist as the command needs?
    auto existing = store.find(command.name);
    if (!existing) {
        err << "uketsuke-desk: user: " << existing.error().message << std::endl;
        return kExitRefused;
    }
    const bool adding = command.verb == UserCommand::Verb::Add;
    if (adding && *existing) {
        err << "uketsuke-desk: user: an account named " << command.name << " exists" << std::endl;
        return kExitRefused;
    }
    if (!adding && !*existing) {
        err << "uketsuke-desk: user: no account named " << command.name << std::endl;
        return kExitRefused;
    }

    Result<void> done = ok();
    std::string detail = "uid=" + std::to_string(::getuid());
    switch (command.verb) {
    case UserCommand::Verb::Add:
    case UserCommand::Verb::Passwd: {
        auto password = readPassword(command.name, in, interactive, err);
        if (!password) {
            return kExitBadInput;
        }
        auto hash = crypto::hashSecret(std::span<const char>(password->data(), password->size()));
        explicit_bzero(password->data(), password->size());
        if (!hash) {
            err << "uketsuke-desk: user: " << hash.error().message << std::endl;
            return kExitRefused;
        }
        if (adding) {
            done = store.add(command.name, *hash, command.role);
            detail += " role=" + std::string(roleName(command.role));
        } else {
            done = store.setPasswordHash(command.name, *hash);
        }
        break;
    }
    case UserCommand::Verb::Disable:
    case UserCommand::Verb::Enable:
        done = store.setDisabled(command.name, command.verb == UserCommand::Verb::Disable);
        break;
    case UserCommand::Verb::List:
        break;
    }
    const std::string action = std::string("user_") + verbName(command.verb);
    (void)store.audit({time::isoUtc(time::Clock::now()), command.name, "cli", action,
                       done ? "ok" : "failed", detail, ""});
    if (!done) {
        err << "uketsuke-desk: user: " << done.error().message << std::endl;
        return kExitRefused;
    }
    out << "user " << verbName(command.verb) << " " << command.name << ": done" << std::endl;
    return 0;
}

} // namespace uketsuke::desk
