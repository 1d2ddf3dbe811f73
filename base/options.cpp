#include "base/options.hpp"

#include "base/files.hpp"
#include "base/utf8.hpp"

#include <toml.hpp>

#include <algorithm>
#include <charconv>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <variant>

namespace uketsuke::options {
namespace {

bool isFlag(const std::string& arg)
{
    return arg.size() > 2 && arg.rfind("--", 0) == 0;
}

// The name of an option in a message about a flag: "--desk (desk.url)" when the key is not
// the flag's own name, so the line can be found in both --help and the config docs.
std::string flagName(const Option& option)
{
    if (option.key().empty() || option.key() == option.flag().substr(2)) {
        return option.flag();
    }
    return option.flag() + " (" + option.key() + ")";
}

std::string keyName(const std::filesystem::path& file, const std::string& key)
{
    return file.string() + ": key '" + key + "'";
}

// toml11's messages span several lines; the first names the problem and the place.
std::string firstLine(const std::string& text)
{
    auto newline = text.find('\n');
    return text.substr(0, newline == std::string::npos ? text.size() : newline);
}

// An error message kept on one line: control characters from a key or value ("a\nb" = 1)
// written as \n, \r, \t or \xNN.
std::string oneLine(std::string text)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        const auto byte = static_cast<unsigned char>(ch);
        if (byte >= 0x20 && byte != 0x7F) {
            out += ch;
        } else if (ch == '\n') {
            out += "\\n";
        } else if (ch == '\r') {
            out += "\\r";
        } else if (ch == '\t') {
            out += "\\t";
        } else {
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 0xF];
        }
    }
    return out;
}

Unexpected<Error> failOneLine(Errc code, std::string message)
{
    return fail(code, oneLine(std::move(message)));
}

// How deeply arrays and inline tables may nest in a config file: toml11 parses them by
// recursion, and a few thousand levels overflow the stack (found by fuzz_config). No real
// configuration nests more than two or three.
constexpr int kMaxNesting = 64;
// How many dots one key may have ("a.b.c" has two): toml11 takes seconds for a key of a few
// thousand parts (found by fuzz_config). Real keys have one or two.
constexpr int kMaxKeyDots = 64;
// How many digits a binary integer (0b…) may have: toml11 3.7.1 doubles a signed 64-bit place
// value for every digit, leading zeros too, which overflows at the 63rd (found by fuzz_config).
// No option takes a binary number at all.
constexpr int kMaxBinaryDigits = 62;

struct TomlShape {
    int nesting = 0;      // the deepest nesting of '[' and '{'
    int keyDots = 0;      // the most dots in one run of text between = , [ ] { } and line ends
    int binaryDigits = 0; // the most digits of one binary integer ("0b1_0" has two)
};

bool isBareKeyChar(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-';
}

// The shape of TOML text, outside strings and comments; a table header ("[ui]", "[[a]]")
// counts for the line it is on. A dotted key's dots are all in one run (quoted parts do not
// end it); a value's dots are one per float or time, each run ended by ',' ']' or the line.
TomlShape tomlShape(std::string_view text)
{
    TomlShape shape;
    int depth = 0;
    int dots = 0;
    std::size_t i = 0;
    auto startsWith = [&](std::string_view what) { return text.substr(i, what.size()) == what; };
    while (i < text.size()) {
        const char ch = text[i];
        if (ch == '#') {
            const auto end = text.find('\n', i);
            i = end == std::string_view::npos ? text.size() : end;
        } else if (startsWith("\"\"\"") || startsWith("'''")) {
            const std::string_view quotes = text.substr(i, 3);
            const bool basic = ch == '"';
            i += 3;
            while (i < text.size() && !startsWith(quotes)) {
                i += basic && text[i] == '\\' ? 2 : 1;
            }
            i += 3;
        } else if (ch == '"' || ch == '\'') {
            ++i;
            while (i < text.size() && text[i] != ch && text[i] != '\n') {
                i += ch == '"' && text[i] == '\\' ? 2 : 1;
            }
            ++i;
        } else {
            if (ch == '[' || ch == '{') {
                shape.nesting = std::max(shape.nesting, ++depth);
            } else if ((ch == ']' || ch == '}') && depth > 0) {
                --depth;
            }
            if (ch == '.') {
                shape.keyDots = std::max(shape.keyDots, ++dots);
            } else if (std::string_view("=,[]{}\n").find(ch) != std::string_view::npos) {
                dots = 0;
            }
            if (startsWith("0b") && (i == 0 || !isBareKeyChar(text[i - 1]))) {
                int digits = 0;
                for (i += 2; i < text.size() && (text[i] == '0' || text[i] == '1' ||
                                                 text[i] == '_');
                     ++i) {
                    digits += text[i] != '_' ? 1 : 0;
                }
                shape.binaryDigits = std::max(shape.binaryDigits, digits);
                continue;
            }
            ++i;
        }
    }
    return shape;
}

// The number (from 1) of the first line that is not valid UTF-8, or 0 when all are. TOML files
// are UTF-8; toml11 3.7.1 reads past its buffer when it reports a string with bytes that are
// not (it resets a location into a copy of the string to an iterator of the whole file; found
// by fuzz_config), so such text never reaches it.
int firstLineNotUtf8(std::string_view text)
{
    int line = 1;
    for (std::size_t start = 0; start < text.size(); ++line) {
        const auto end = std::min(text.find('\n', start), text.size());
        int invalid = 0;
        utf8::decode(text.substr(start, end - start), &invalid);
        if (invalid > 0) {
            return line;
        }
        start = end + 1;
    }
    return 0;
}

std::string tomlTypeName(const toml::value& value)
{
    switch (value.type()) {
    case toml::value_t::string:
        return "a string";
    case toml::value_t::integer:
        return "an integer";
    case toml::value_t::floating:
        return "a number with a fraction";
    case toml::value_t::boolean:
        return "true or false";
    case toml::value_t::array:
        return "an array";
    case toml::value_t::table:
        return "a table";
    default:
        return "a date or time";
    }
}

std::string expectedTypeName(Kind kind)
{
    switch (kind) {
    case Kind::Text:
    case Kind::Path:
        return "a string";
    case Kind::Integer:
        return "an integer";
    case Kind::Boolean:
        return "true or false";
    case Kind::TextList:
    case Kind::PathList:
        return "a string or an array of strings";
    }
    return "a string";
}

std::string fromFolder(const std::filesystem::path& base, const std::string& path)
{
    std::filesystem::path p(path);
    return p.is_absolute() || path.empty() ? path : (base / p).lexically_normal().string();
}

// A file value of the option's kind, or the problem.
std::variant<Value, std::string> fromToml(const toml::value& value, Kind kind,
                                          const std::filesystem::path& base)
{
    Value out;
    const std::string wrongType =
        "expected " + expectedTypeName(kind) + ", got " + tomlTypeName(value);
    switch (kind) {
    case Kind::Text:
    case Kind::Path:
        if (!value.is_string()) {
            return wrongType;
        }
        out.text = value.as_string().str;
        if (kind == Kind::Path) {
            out.text = fromFolder(base, out.text);
        }
        return out;
    case Kind::Integer:
        if (!value.is_integer()) {
            return wrongType;
        }
        out.number = value.as_integer();
        return out;
    case Kind::Boolean:
        if (!value.is_boolean()) {
            return wrongType;
        }
        out.flag = value.as_boolean();
        return out;
    case Kind::TextList:
    case Kind::PathList:
        if (value.is_string()) {
            out.list.push_back(value.as_string().str);
        } else if (value.is_array()) {
            for (const auto& item : value.as_array()) {
                if (!item.is_string()) {
                    return wrongType;
                }
                out.list.push_back(item.as_string().str);
            }
        } else {
            return wrongType;
        }
        if (kind == Kind::PathList) {
            for (auto& item : out.list) {
                item = fromFolder(base, item);
            }
        }
        return out;
    }
    return wrongType;
}

// A flag's text as a value of the option's kind, or the problem.
std::variant<Value, std::string> fromText(const std::vector<std::string>& texts, Kind kind)
{
    Value out;
    const std::string& text = texts.back();
    switch (kind) {
    case Kind::Text:
    case Kind::Path:
        out.text = text;
        return out;
    case Kind::Integer: {
        std::int64_t n = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (ec != std::errc() || end != text.data() + text.size()) {
            return "expected a whole number, got '" + text + "'";
        }
        out.number = n;
        return out;
    }
    case Kind::Boolean:
        if (text != "true" && text != "false") {
            return "expected true or false, got '" + text + "'";
        }
        out.flag = text == "true";
        return out;
    case Kind::TextList:
    case Kind::PathList:
        out.list = texts;
        return out;
    }
    return out;
}

} // namespace

Option& Option::required()
{
    m_required = true;
    return *this;
}

Option& Option::check(TextCheck check)
{
    m_checks.push_back(std::move(check));
    return *this;
}

Option& Option::switchSets(bool value)
{
    m_switchValue = value;
    return *this;
}

Table::Table(bool standardFlags) : m_standardFlags(standardFlags) {}

Option& Table::add(Option option)
{
    // A programmer's mistake in a declaration, found when the program starts.
    if ((option.m_flag.empty() && option.m_key.empty()) ||
        (!option.m_flag.empty() && (!isFlag(option.m_flag) || findFlag(option.m_flag))) ||
        (!option.m_key.empty() && findKey(option.m_key))) {
        throw std::logic_error("options: bad or repeated declaration " + option.m_flag + " " +
                               option.m_key);
    }
    m_options.push_back(std::move(option));
    return m_options.back();
}

Option& Table::custom(std::string flag, std::string key, std::string metavar, Kind kind,
                      std::string help, std::string defaultText,
                      std::function<std::optional<std::string>(const Value&)> set)
{
    Option option;
    option.m_flag = std::move(flag);
    option.m_key = std::move(key);
    option.m_kind = kind;
    option.m_metavar = std::move(metavar);
    option.m_help = std::move(help);
    option.m_default = std::move(defaultText);
    option.m_set = std::move(set);
    return add(std::move(option));
}

Option& Table::text(std::string flag, std::string key, std::string metavar, std::string& target,
                    std::string help)
{
    return custom(std::move(flag), std::move(key), std::move(metavar), Kind::Text,
                  std::move(help), target, [&target](const Value& v) -> std::optional<std::string> {
                      target = v.text;
                      return std::nullopt;
                  });
}

Option& Table::path(std::string flag, std::string key, std::string metavar, std::string& target,
                    std::string help)
{
    Option& option = text(std::move(flag), std::move(key), std::move(metavar), target,
                          std::move(help));
    option.m_kind = Kind::Path;
    return option;
}

Option& Table::boolean(std::string flag, std::string key, bool& target, std::string help)
{
    return custom(std::move(flag), std::move(key), "", Kind::Boolean, std::move(help),
                  target ? "true" : "false",
                  [&target](const Value& v) -> std::optional<std::string> {
                      target = v.flag;
                      return std::nullopt;
                  });
}

Option& Table::list(std::string flag, std::string key, std::string metavar,
                    std::vector<std::string>& target, std::string help, bool paths)
{
    return custom(std::move(flag), std::move(key), std::move(metavar),
                  paths ? Kind::PathList : Kind::TextList, std::move(help), "",
                  [&target](const Value& v) -> std::optional<std::string> {
                      target = v.list;
                      return std::nullopt;
                  });
}

Option& Table::hostPort(std::string flag, std::string key, std::string& host, int& port,
                        std::string help)
{
    std::string current = host.empty() ? "" : host + ":" + std::to_string(port);
    return custom(std::move(flag), std::move(key), "HOST:PORT", Kind::Text, std::move(help),
                  std::move(current),
                  [&host, &port](const Value& v) -> std::optional<std::string> {
                      auto parsed = parseHostPort(v.text);
                      if (!parsed) {
                          return parsed.error().message;
                      }
                      host = parsed->host;
                      port = parsed->port;
                      return std::nullopt;
                  });
}

Option& Table::integer(std::string flag, std::string key, std::string metavar, std::string help,
                       std::string defaultText, std::int64_t low, std::int64_t high,
                       std::function<void(std::int64_t)> store)
{
    return custom(std::move(flag), std::move(key), std::move(metavar), Kind::Integer,
                  std::move(help), std::move(defaultText),
                  [low, high, store = std::move(store)](const Value& v)
                      -> std::optional<std::string> {
                      if (v.number < low || v.number > high) {
                          return "expected a whole number " + std::to_string(low) + "-" +
                                 std::to_string(high) + ", got '" + std::to_string(v.number) +
                                 "'";
                      }
                      store(v.number);
                      return std::nullopt;
                  });
}

Option* Table::findFlag(std::string_view flag)
{
    for (auto& option : m_options) {
        if (!option.m_flag.empty() && option.m_flag == flag) {
            return &option;
        }
    }
    return nullptr;
}

Option* Table::findKey(std::string_view key)
{
    for (auto& option : m_options) {
        if (!option.m_key.empty() && option.m_key == key) {
            return &option;
        }
    }
    return nullptr;
}

bool Table::given(std::string_view flagOrKey) const
{
    for (const auto& option : m_options) {
        if ((option.m_flag == flagOrKey || option.m_key == flagOrKey) && option.m_given) {
            return true;
        }
    }
    return false;
}

std::optional<std::string> Table::store(Option& option, const Value& value)
{
    if (option.m_kind == Kind::Text || option.m_kind == Kind::Path) {
        if (option.m_required && value.text.empty()) {
            return std::string("must not be empty");
        }
        for (const auto& check : option.m_checks) {
            if (auto problem = check(value.text)) {
                return problem;
            }
        }
    }
    if (auto problem = option.m_set(value)) {
        return problem;
    }
    option.m_given = true;
    return std::nullopt;
}

Result<CommandLine> Table::readArgs(const std::vector<std::string>& args)
{
    m_commandLine = {};
    m_flagValues.clear();
    if (m_standardFlags) {
        for (const auto& arg : args) {
            if (arg == "--help" || arg == "-h") {
                m_commandLine.help = true;
                return m_commandLine;
            }
        }
        for (const auto& arg : args) {
            if (arg == "--version") {
                m_commandLine.version = true;
                return m_commandLine;
            }
        }
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (!isFlag(arg)) {
            m_commandLine.positionals.push_back(arg);
            continue;
        }
        const auto equals = arg.find('=');
        const std::string flag = arg.substr(0, equals);
        std::optional<std::string> inline_;
        if (equals != std::string::npos) {
            inline_ = arg.substr(equals + 1);
        }
        auto value = [&]() -> Result<std::string> {
            if (inline_) {
                if (inline_->empty()) {
                    return fail(Errc::InvalidArgument, flag + " needs a value");
                }
                return *inline_;
            }
            if (i + 1 >= args.size() || isFlag(args[i + 1]) || args[i + 1].empty()) {
                return fail(Errc::InvalidArgument, flag + " needs a value");
            }
            return args[++i];
        };
        if (m_standardFlags && flag == "--config") {
            auto file = value();
            if (!file) {
                return fail(std::move(file).error());
            }
            if (!m_commandLine.configFile.empty()) {
                return fail(Errc::InvalidArgument, "--config given twice");
            }
            m_commandLine.configFile = *file;
            continue;
        }
        Option* option = findFlag(flag);
        if (option == nullptr) {
            return failOneLine(Errc::InvalidArgument,
                               "unknown flag " + flag + m_unknownFlagHint);
        }
        std::vector<std::string>* slot = nullptr;
        for (auto& [seen, texts] : m_flagValues) {
            if (seen == option) {
                slot = &texts;
            }
        }
        const bool repeatable = option->m_kind == Kind::TextList || option->m_kind == Kind::PathList;
        if (slot != nullptr && !repeatable) {
            return fail(Errc::InvalidArgument, flag + " given twice");
        }
        if (slot == nullptr) {
            slot = &m_flagValues.emplace_back(option, std::vector<std::string>{}).second;
        }
        if (option->m_kind == Kind::Boolean && !inline_) {
            slot->push_back(option->m_switchValue ? "true" : "false");
            continue;
        }
        auto text = value();
        if (!text) {
            return fail(std::move(text).error());
        }
        slot->push_back(*text);
    }
    return m_commandLine;
}

Result<void> Table::applyFile(const std::filesystem::path& file)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        return fail(Errc::ConfigMissing, "--config: cannot read " + file.string());
    }
    auto text = files::readFile(file);
    if (!text) {
        return fail(Errc::ConfigMissing, "--config: cannot read " + file.string());
    }
    return applyText({*text, file});
}

Result<void> Table::applyText(const ConfigText& config)
{
    const std::filesystem::path& file = config.file;
    const TomlShape shape = tomlShape(config.text);
    if (shape.nesting > kMaxNesting) {
        return fail(Errc::ConfigInvalid, file.string() + ": arrays or inline tables nested more "
                                                         "than " +
                                             std::to_string(kMaxNesting) + " deep");
    }
    if (shape.keyDots > kMaxKeyDots) {
        return fail(Errc::ConfigInvalid, file.string() + ": a key with more than " +
                                             std::to_string(kMaxKeyDots) + " dots");
    }
    if (shape.binaryDigits > kMaxBinaryDigits) {
        return fail(Errc::ConfigInvalid, file.string() + ": a binary number (0b…) of more than " +
                                             std::to_string(kMaxBinaryDigits) + " digits");
    }
    if (const int line = firstLineNotUtf8(config.text); line > 0) {
        return fail(Errc::ConfigInvalid, file.string() + ":" + std::to_string(line) +
                                             ": not UTF-8 text (save the file as UTF-8)");
    }
    toml::value root;
    try {
        std::istringstream stream{std::string(config.text)};
        root = toml::parse(stream, file.string());
    } catch (const std::exception& e) {
        return failOneLine(Errc::ConfigInvalid, file.string() + ": " + firstLine(e.what()));
    }
    if (!root.is_table()) {
        return fail(Errc::ConfigInvalid, file.string() + ": not a TOML table");
    }
    std::error_code ec;
    const auto base = std::filesystem::absolute(file, ec).parent_path();

    // Every value is looked up by its dotted key ("ui.width" for [ui] width); a table that is
    // not itself an option is walked. Each key sets its own field, so the order of the walk
    // (toml11's tables are unordered) does not matter.
    std::function<Result<void>(const toml::value&, const std::string&)> walk =
        [&](const toml::value& table, const std::string& prefix) -> Result<void> {
        for (const auto& [name, value] : table.as_table()) {
            const std::string key = prefix.empty() ? name : prefix + "." + name;
            Option* option = findKey(key);
            if (option == nullptr && value.is_table()) {
                if (auto r = walk(value, key); !r) {
                    return r;
                }
                continue;
            }
            if (option == nullptr) {
                return failOneLine(Errc::ConfigInvalid,
                                   file.string() + ": unknown key '" + key + "'");
            }
            auto converted = fromToml(value, option->m_kind, base);
            if (auto* problem = std::get_if<std::string>(&converted)) {
                return failOneLine(Errc::ConfigInvalid, keyName(file, key) + ": " + *problem);
            }
            if (auto problem = store(*option, std::get<Value>(converted))) {
                return failOneLine(Errc::ConfigInvalid, keyName(file, key) + ": " + *problem);
            }
        }
        return ok();
    };
    return walk(root, "");
}

Result<void> Table::applyArgs()
{
    for (auto& [option, texts] : m_flagValues) {
        auto converted = fromText(texts, option->m_kind);
        if (auto* problem = std::get_if<std::string>(&converted)) {
            return failOneLine(Errc::InvalidArgument, flagName(*option) + ": " + *problem);
        }
        if (auto problem = store(*option, std::get<Value>(converted))) {
            return failOneLine(Errc::InvalidArgument, flagName(*option) + ": " + *problem);
        }
    }
    return ok();
}

Result<void> Table::checkRequired() const
{
    for (const auto& option : m_options) {
        if (!option.m_required || option.m_given) {
            continue;
        }
        std::string message = "missing ";
        if (!option.m_flag.empty()) {
            message += option.m_flag + (option.m_metavar.empty() ? "" : " " + option.m_metavar);
            if (!option.m_key.empty()) {
                message += " (or " + option.m_key + " in the config file)";
            }
        } else {
            message += option.m_key + " in the config file";
        }
        return fail(Errc::InvalidArgument, message);
    }
    return ok();
}

Result<CommandLine> Table::parse(const std::vector<std::string>& args)
{
    return parseWith(args, nullptr);
}

Result<CommandLine> Table::parse(const std::vector<std::string>& args, const ConfigText& config)
{
    return parseWith(args, &config);
}

Result<CommandLine> Table::parseWith(const std::vector<std::string>& args,
                                     const ConfigText* config)
{
    auto commandLine = readArgs(args);
    if (!commandLine || commandLine->help || commandLine->version) {
        return commandLine;
    }
    if (config != nullptr) {
        if (auto r = applyText(*config); !r) {
            return fail(std::move(r).error());
        }
    } else if (!commandLine->configFile.empty()) {
        if (auto r = applyFile(commandLine->configFile); !r) {
            return fail(std::move(r).error());
        }
    }
    if (auto r = applyArgs(); !r) {
        return fail(std::move(r).error());
    }
    if (auto r = checkRequired(); !r) {
        return fail(std::move(r).error());
    }
    return commandLine;
}

std::string Table::flagsHelp() const
{
    constexpr std::size_t kColumn = 24;
    std::string out;
    auto line = [&out](std::string left, const std::string& right) {
        left = "  " + left;
        out += left + std::string(left.size() + 1 < kColumn ? kColumn - left.size() : 1, ' ') +
               right + "\n";
    };
    for (const auto& option : m_options) {
        if (option.m_flag.empty()) {
            continue;
        }
        std::string left = option.m_flag;
        if (option.m_kind != Kind::Boolean) {
            left += " " + option.m_metavar;
        }
        std::string right = option.m_help;
        std::vector<std::string> notes;
        if (option.m_kind == Kind::TextList || option.m_kind == Kind::PathList) {
            notes.push_back("repeatable");
        }
        if (option.m_kind != Kind::Boolean && !option.m_default.empty()) {
            notes.push_back("default " + option.m_default);
        }
        if (!option.m_key.empty() && option.m_key != option.m_flag.substr(2)) {
            notes.push_back(option.m_key);
        }
        if (!notes.empty()) {
            right += " (";
            for (std::size_t i = 0; i < notes.size(); ++i) {
                right += (i == 0 ? "" : "; ") + notes[i];
            }
            right += ")";
        }
        line(left, right);
    }
    if (m_standardFlags) {
        line("--config FILE", "TOML file with the keys; flags override it");
        line("--version", "print the version and exit");
        line("--help", "print this text and exit");
    }
    return out;
}

std::string Table::keysHelp() const
{
    constexpr std::size_t kColumn = 34;
    std::string out;
    for (const auto& option : m_options) {
        if (!option.m_flag.empty() || option.m_key.empty()) {
            continue;
        }
        std::string left = "  " + option.m_key;
        if (!option.m_default.empty()) {
            left += option.m_kind == Kind::Text || option.m_kind == Kind::Path
                        ? " = \"" + option.m_default + "\""
                        : " = " + option.m_default;
        }
        out += left + std::string(left.size() + 1 < kColumn ? kColumn - left.size() : 1, ' ') +
               option.m_help + "\n";
    }
    return out;
}

std::string Table::oneOfText(const std::vector<std::string>& words)
{
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0) {
            out += i + 1 == words.size() ? " or " : ", ";
        }
        out += "\"" + words[i] + "\"";
    }
    return out;
}

Result<HostPort> parseHostPort(std::string_view text)
{
    HostPort out;
    std::string_view portText;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return fail(Errc::InvalidArgument, "expected [IPv6]:PORT, got '" +
                                                   std::string(text) + "'");
        }
        out.host = std::string(text.substr(1, close - 1));
        portText = text.substr(close + 2);
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            return fail(Errc::InvalidArgument,
                        "expected HOST:PORT, got '" + std::string(text) + "'");
        }
        out.host = std::string(text.substr(0, colon));
        portText = text.substr(colon + 1);
        if (out.host.find(':') != std::string::npos) {
            return fail(Errc::InvalidArgument,
                        "write an IPv6 address in brackets, e.g. [::1]:8443");
        }
    }
    int port = -1;
    auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (out.host.empty() || portText.empty() || ec != std::errc() ||
        end != portText.data() + portText.size() || port < 0 || port > 65535) {
        return fail(Errc::InvalidArgument, "expected HOST:PORT with PORT 0-65535, got '" +
                                               std::string(text) + "'");
    }
    out.port = port;
    return out;
}

std::string httpsUrl(const std::string& host, int port)
{
    const bool ipv6 = host.find(':') != std::string::npos;
    return "https://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

} // namespace uketsuke::options
