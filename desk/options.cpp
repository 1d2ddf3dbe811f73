#include "desk/options.hpp"

#include <toml.hpp>

#include <charconv>
#include <filesystem>
#include <map>
#include <optional>

namespace uketsuke::desk {
namespace {

constexpr int kMaxRetentionDays = 3660;

std::optional<int> parsePort(std::string_view text)
{
    int port = -1;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc() || end != text.data() + text.size() || port < 0 || port > 65535) {
        return std::nullopt;
    }
    return port;
}

// A path from the config file is relative to the file's folder, so a config works from any
// working directory.
std::string resolveFrom(const std::filesystem::path& base, const std::string& path)
{
    std::filesystem::path p(path);
    return p.is_absolute() ? path : (base / p).lexically_normal().string();
}

Result<void> applyConfigFile(const std::string& file, DeskOptions& options)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        return fail(Errc::ConfigMissing, "config file " + file + " cannot be read");
    }
    toml::value root;
    try {
        root = toml::parse(file);
    } catch (const std::exception& e) {
        // toml11 messages span several lines; the first names the problem and the place.
        std::string what = e.what();
        auto newline = what.find('\n');
        return fail(Errc::ConfigInvalid,
                    file + ": " +
                        what.substr(0, newline == std::string::npos ? what.size() : newline));
    }
    const auto base = std::filesystem::absolute(file).parent_path();
    auto bad = [&file](const std::string& key, const std::string& problem) {
        return fail(Errc::ConfigInvalid, file + ": key " + key + " " + problem);
    };
    for (const auto& [key, value] : root.as_table()) {
        if (key == "pki" || key == "data" || key == "assets" || key == "listen") {
            if (!value.is_string()) {
                return bad(key, "must be a string");
            }
            const std::string text = value.as_string().str;
            if (key == "listen") {
                auto hostPort = parseHostPort(text);
                if (!hostPort) {
                    return bad(key, "must be HOST:PORT");
                }
                options.listenHost = hostPort->host;
                options.listenPort = hostPort->port;
            } else if (text.empty()) {
                return bad(key, "must not be empty");
            } else if (key == "pki") {
                options.pkiDir = resolveFrom(base, text);
            } else if (key == "data") {
                options.dataDir = resolveFrom(base, text);
            } else {
                options.assetsDir = resolveFrom(base, text);
            }
        } else if (key == "retention_days") {
            if (!value.is_integer()) {
                return bad(key, "must be an integer");
            }
            auto days = value.as_integer();
            if (days < 1 || days > kMaxRetentionDays) {
                return bad(key, "must be between 1 and " + std::to_string(kMaxRetentionDays));
            }
            options.retentionDays = static_cast<int>(days);
        } else {
            return bad(key, "is unknown");
        }
    }
    return ok();
}

} // namespace

Result<HostPort> parseHostPort(std::string_view text)
{
    HostPort out;
    std::string_view portText;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return fail(Errc::InvalidArgument, "expected [IPv6]:PORT");
        }
        out.host = std::string(text.substr(1, close - 1));
        portText = text.substr(close + 2);
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            return fail(Errc::InvalidArgument, "expected HOST:PORT");
        }
        out.host = std::string(text.substr(0, colon));
        portText = text.substr(colon + 1);
        if (out.host.find(':') != std::string::npos) {
            return fail(Errc::InvalidArgument, "write an IPv6 address as [ADDRESS]:PORT");
        }
    }
    auto port = parsePort(portText);
    if (out.host.empty() || !port) {
        return fail(Errc::InvalidArgument, "expected HOST:PORT with PORT 0-65535");
    }
    out.port = *port;
    return out;
}

std::string httpsUrl(const std::string& host, int port)
{
    const bool ipv6 = host.find(':') != std::string::npos;
    return "https://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<Invocation> parseCommandLine(const std::vector<std::string>& args)
{
    Invocation out;
    std::map<std::string, std::string> flags;
    static const char* const kValueFlags[] = {"--pki", "--listen", "--data", "--config",
                                              "--assets"};
    for (const std::string& arg : args) {
        if (arg == "--help" || arg == "-h") {
            out.action = Action::Help;
            return out;
        }
    }
    for (const std::string& arg : args) {
        if (arg == "--version") {
            out.action = Action::Version;
            return out;
        }
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        std::string name = arg;
        std::optional<std::string> value;
        if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
        }
        bool known = false;
        for (const char* flag : kValueFlags) {
            known = known || name == flag;
        }
        if (!known) {
            return fail(Errc::InvalidArgument, "unknown argument " + arg + " (see --help)");
        }
        if (!value) {
            if (i + 1 >= args.size()) {
                return fail(Errc::InvalidArgument, name + " needs a value");
            }
            value = args[++i];
        }
        if (value->empty()) {
            return fail(Errc::InvalidArgument, name + " needs a non-empty value");
        }
        flags[name] = *value;
    }
    // The file first, then the flags over it.
    if (auto it = flags.find("--config"); it != flags.end()) {
        if (auto applied = applyConfigFile(it->second, out.options); !applied) {
            return fail(std::move(applied).error());
        }
    }
    if (auto it = flags.find("--listen"); it != flags.end()) {
        auto hostPort = parseHostPort(it->second);
        if (!hostPort) {
            return fail(Errc::InvalidArgument,
                        "--listen " + it->second + ": " + hostPort.error().message);
        }
        out.options.listenHost = hostPort->host;
        out.options.listenPort = hostPort->port;
    }
    if (auto it = flags.find("--pki"); it != flags.end()) {
        out.options.pkiDir = it->second;
    }
    if (auto it = flags.find("--data"); it != flags.end()) {
        out.options.dataDir = it->second;
    }
    if (auto it = flags.find("--assets"); it != flags.end()) {
        out.options.assetsDir = it->second;
    }
    if (out.options.pkiDir.empty()) {
        return fail(Errc::InvalidArgument, "--pki DIR is required (or pki in the config file)");
    }
    if (out.options.dataDir.empty()) {
        return fail(Errc::InvalidArgument, "--data DIR is required (or data in the config file)");
    }
    return out;
}

std::string usage()
{
    return "usage: uketsuke-desk --pki DIR --data DIR [--listen HOST:PORT] [--config FILE]\n"
           "                     [--assets DIR]\n"
           "       uketsuke-desk --help | --version\n"
           "\n"
           "The reception-desk service: accepts check-ins from terminals over HTTPS with\n"
           "client certificates, stores them in DIR/desk.sqlite3 and serves the staff page.\n"
           "\n"
           "  --pki DIR          test PKI written by `uketsuke-sim pki` (uses DIR/tls/desk.pem,\n"
           "                     desk.key, ca.pem)\n"
           "  --data DIR         where the database lives (created if missing)\n"
           "  --listen HOST:PORT address to serve on (default 127.0.0.1:8443; PORT 0 picks a\n"
           "                     free port; the real one is printed as `listening https://...`)\n"
           "  --config FILE      TOML file with the keys pki, data, listen, assets,\n"
           "                     retention_days; flags override it\n"
           "  --assets DIR       folder with i18n/ja.json (default: the source tree's assets)\n"
           "  --version          print the version\n"
           "  --help             print this text\n"
           "\n"
           "Exit status: 0 after SIGTERM/SIGINT, 1 when it cannot start (port in use, storage),\n"
           "2 on a bad flag or bad configuration.\n";
}

} // namespace uketsuke::desk
