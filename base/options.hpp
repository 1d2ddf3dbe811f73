#pragma once

// One option table for the command line and the TOML configuration file, shared by the
// terminal, the desk and the simulators (base/README.md "Options"). Each option is declared once
// — flag, TOML key, type, default, help text and validation — and the flag, the key and the
// --help text all come from that declaration:
//
//     options::Table table;
//     table.path("--data", "data", "DIR", options.dataDir, "where the database lives")
//         .required();
//     table.number("--retention-days", "retention_days", "DAYS", options.retentionDays, 1,
//                  3660, "check-ins older than this are deleted");
//     auto parsed = table.parse(args); // the file named by --config, then the flags over it
//
// A table binds to the fields of one options struct (the targets must outlive the table); a
// field's initial value is the option's default, shown by --help. Parsing is done at start-up.
//
// Errors are one line that names the flag or key:
//   InvalidArgument  a flag: unknown, missing its value, given twice, a bad value; a required
//                    option not given ("missing --data DIR (or data in the config file)")
//   ConfigMissing    the file named by --config cannot be read
//   ConfigInvalid    the file: TOML syntax, an unknown key, a value of the wrong TOML type
//                    (`terminal_id = 5` where a string is expected), a bad value

#include "base/result.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uketsuke::options {

// The TOML type a key must have; on the command line the text is converted to it.
enum class Kind {
    Text,     // a string
    Path,     // a string; relative paths in a file are taken from the file's folder
    Integer,  // an integer
    Boolean,  // true or false; as a flag, a switch (--demo, or --demo=false)
    TextList, // a string or an array of strings; the flag may repeat
    PathList, // as TextList, relative paths taken from the file's folder
};

// A value as the setter receives it: text (Text, Path), a number (Integer), a switch (Boolean)
// or a list (TextList, PathList).
struct Value {
    std::string text;
    std::int64_t number = 0;
    bool flag = false;
    std::vector<std::string> list;
};

// A check of a text value: the problem in a few words ("must be 10 digits"), or nullopt.
using TextCheck = std::function<std::optional<std::string>(const std::string& text)>;

class Option {
public:
    // The option must be given, as a flag or a key, with a non-empty value.
    Option& required();
    // One more check of a Text or Path value, run before the value is stored.
    Option& check(TextCheck check);
    // Boolean only: the value the flag sets when given without "=" (default true), for flags
    // such as --windowed (ui.fullscreen = false).
    Option& switchSets(bool value);

    const std::string& flag() const { return m_flag; }
    const std::string& key() const { return m_key; }
    Kind kind() const { return m_kind; }
    const std::string& metavar() const { return m_metavar; }
    const std::string& help() const { return m_help; }
    const std::string& defaultText() const { return m_default; }
    bool isRequired() const { return m_required; }

private:
    friend class Table;
    using Setter = std::function<std::optional<std::string>(const Value&)>;

    std::string m_flag; // "--listen"; empty: a key only
    std::string m_key;  // "listen" or "ui.width" (a dotted key is a TOML table); empty: a flag only
    Kind m_kind = Kind::Text;
    std::string m_metavar; // "HOST:PORT"
    std::string m_help;
    std::string m_default; // as --help shows it; empty: none
    bool m_required = false;
    bool m_switchValue = true;
    std::vector<TextCheck> m_checks;
    Setter m_set; // stores the value; returns the problem or nullopt
    bool m_given = false;
};

// What the command line held besides the options.
struct CommandLine {
    bool help = false;    // --help or -h (wins over everything else)
    bool version = false; // --version
    std::string configFile;               // --config FILE; empty: none
    std::vector<std::string> positionals; // arguments that are not flags, in order
};

class Table {
public:
    // With `standardFlags`, the table knows --config FILE, --help/-h and --version.
    explicit Table(bool standardFlags = true);

    // What follows "unknown flag --x" in the message (default " (see --help)"), e.g.
    // " for command gateway".
    void setUnknownFlagHint(std::string hint) { m_unknownFlagHint = std::move(hint); }
    Table(const Table&) = delete;
    Table& operator=(const Table&) = delete;

    Option& text(std::string flag, std::string key, std::string metavar, std::string& target,
                 std::string help);
    Option& path(std::string flag, std::string key, std::string metavar, std::string& target,
                 std::string help);
    Option& boolean(std::string flag, std::string key, bool& target, std::string help);
    Option& list(std::string flag, std::string key, std::string metavar,
                 std::vector<std::string>& target, std::string help, bool paths = false);

    // A whole number in [low, high].
    template <class T>
    Option& number(std::string flag, std::string key, std::string metavar, T& target,
                   std::int64_t low, std::int64_t high, std::string help)
    {
        return integer(std::move(flag), std::move(key), std::move(metavar), std::move(help),
                       std::to_string(target), low, high,
                       [&target](std::int64_t n) { target = static_cast<T>(n); });
    }

    // A duration written as a whole number of `Unit`s (the key says which: timeout_s, _ms).
    template <class Unit, class Rep, class Period>
    Option& duration(std::string flag, std::string key, std::string metavar,
                     std::chrono::duration<Rep, Period>& target, std::int64_t low,
                     std::int64_t high, std::string help)
    {
        const auto current = std::chrono::duration_cast<Unit>(target).count();
        return integer(std::move(flag), std::move(key), std::move(metavar), std::move(help),
                       std::to_string(current), low, high, [&target](std::int64_t n) {
                           target = std::chrono::duration_cast<std::chrono::duration<Rep, Period>>(
                               Unit(n));
                       });
    }

    // "HOST:PORT" as parseHostPort() reads it, stored in `host` and `port`.
    Option& hostPort(std::string flag, std::string key, std::string& host, int& port,
                     std::string help);

    // One of a few words, each standing for a value of T ("gateway", "oqs-files", ...).
    template <class T>
    Option& choice(std::string flag, std::string key, std::string metavar, T& target,
                   std::vector<std::pair<std::string, T>> words, std::string help)
    {
        std::vector<std::string> names;
        std::string current;
        for (const auto& [word, value] : words) {
            names.push_back(word);
            if (value == target) {
                current = word;
            }
        }
        return custom(std::move(flag), std::move(key), std::move(metavar), Kind::Text,
                      std::move(help), current,
                      [&target, words = std::move(words),
                       names](const Value& v) -> std::optional<std::string> {
                          for (const auto& [word, value] : words) {
                              if (v.text == word) {
                                  target = value;
                                  return std::nullopt;
                              }
                          }
                          return "expected " + oneOfText(names) + ", got '" + v.text + "'";
                      });
    }

    // Any other option: `set` stores the value or returns the problem.
    Option& custom(std::string flag, std::string key, std::string metavar, Kind kind,
                   std::string help, std::string defaultText,
                   std::function<std::optional<std::string>(const Value&)> set);

    // Reads the arguments (without the program name): the file that --config names first, then
    // the flags over it, then the required options. Non-flag arguments are returned for the
    // program to judge. With --help or --version nothing else is read or checked.
    Result<CommandLine> parse(const std::vector<std::string>& args);

    // The parts of parse(), for programs that look at the command line before the file.
    Result<CommandLine> readArgs(const std::vector<std::string>& args);
    Result<void> applyFile(const std::filesystem::path& file);
    // As applyFile() for TOML text that is not (yet) in `file`: the same checks, messages that
    // name `file`, relative paths against its folder (the staff menu's settings editor checks a
    // new configuration before it is written).
    Result<void> applyText(std::string_view text, const std::filesystem::path& file);
    Result<void> applyArgs();
    Result<void> checkRequired() const;

    // Whether the option with this flag or key was given (by a flag or in the file).
    bool given(std::string_view flagOrKey) const;

    // The --help lines of the flags ("  --data DIR            where ... (data_dir)"), and of the
    // keys that have no flag ("  retention_days = 30    check-ins ..."), each line ending "\n".
    std::string flagsHelp() const;
    std::string keysHelp() const;

    const std::deque<Option>& options() const { return m_options; }

    // "\"a\", \"b\" or \"c\"".
    static std::string oneOfText(const std::vector<std::string>& words);

private:
    Option& integer(std::string flag, std::string key, std::string metavar, std::string help,
                    std::string defaultText, std::int64_t low, std::int64_t high,
                    std::function<void(std::int64_t)> store);
    Option& add(Option option);
    Option* findFlag(std::string_view flag);
    Option* findKey(std::string_view key);
    std::optional<std::string> store(Option& option, const Value& value);

    bool m_standardFlags;
    std::string m_unknownFlagHint = " (see --help)";
    std::deque<Option> m_options;
    std::vector<std::pair<Option*, std::vector<std::string>>> m_flagValues; // from readArgs
    CommandLine m_commandLine;
};

// "127.0.0.1:8443", "localhost:0", "[::1]:8443" (an IPv6 address in brackets).
struct HostPort {
    std::string host; // without brackets
    int port = 0;
};
// Errors: InvalidArgument with the problem in a few words, naming the expected form.
Result<HostPort> parseHostPort(std::string_view text);

// The URL of a host and port: "https://127.0.0.1:8443", "https://[::1]:8443".
std::string httpsUrl(const std::string& host, int port);

} // namespace uketsuke::options
