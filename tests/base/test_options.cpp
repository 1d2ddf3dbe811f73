#include "base/options.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace uketsuke;

namespace {

enum class Colour { Red, Green };

struct Settings {
    std::string data = "var/data";
    std::string name;
    int port = 8444;
    bool fullscreen = true;
    bool demo = false;
    std::vector<std::string> cas;
    std::chrono::milliseconds idle{30000};
    Colour colour = Colour::Red;
};

// A table over `s`: a flag with a key, a key only, a flag only, each kind once.
void declare(options::Table& t, Settings& s)
{
    t.path("--data", "data", "DIR", s.data, "where the data lives").required();
    t.text("", "name", "NAME", s.name, "a plain name").check(
        [](const std::string& v) -> std::optional<std::string> {
            if (v.find('/') != std::string::npos) {
                return "must be a plain name, got '" + v + "'";
            }
            return std::nullopt;
        });
    t.number("--port", "net.port", "PORT", s.port, 1, 65535, "the port");
    t.boolean("--windowed", "ui.fullscreen", s.fullscreen, "full screen").switchSets(false);
    t.boolean("--demo", "", s.demo, "demo controls");
    t.list("--trust-ca", "trust_ca", "FILE", s.cas, "more CAs", true);
    t.duration<std::chrono::seconds>("", "net.idle_timeout_s", "S", s.idle, 1, 3600, "idle");
    t.choice("--colour", "colour", "COLOUR", s.colour,
             {{"red", Colour::Red}, {"green", Colour::Green}}, "the colour");
}

struct Scratch {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("uketsuke-options-" + std::to_string(::getpid()));
    Scratch() { std::filesystem::create_directories(dir); }
    ~Scratch() { std::filesystem::remove_all(dir); }
    std::string write(const std::string& name, const std::string& text) const
    {
        std::ofstream(dir / name) << text;
        return (dir / name).string();
    }
};

bool oneLine(const Error& e)
{
    return !e.message.empty() && e.message.find('\n') == std::string::npos;
}

} // namespace

TEST_CASE("Table::parse: flags give typed values, defaults stay")
{
    Settings s;
    options::Table t;
    declare(t, s);
    auto parsed = t.parse({"--data=/d", "--port", "9000", "--windowed", "--trust-ca", "a.pem",
                           "--trust-ca", "b.pem", "--colour", "green", "extra"});
    REQUIRE(parsed);
    CHECK(s.data == "/d");
    CHECK(s.port == 9000);
    CHECK_FALSE(s.fullscreen);
    CHECK_FALSE(s.demo);
    CHECK(s.cas == std::vector<std::string>{"a.pem", "b.pem"});
    CHECK(s.colour == Colour::Green);
    CHECK(s.idle == std::chrono::seconds(30));
    CHECK(parsed->positionals == std::vector<std::string>{"extra"});
    CHECK(t.given("--port"));
    CHECK(t.given("net.port"));
    CHECK_FALSE(t.given("name"));
}

TEST_CASE("Table::parse: the file gives values and flags win over it")
{
    Scratch scratch;
    Settings s;
    options::Table t;
    declare(t, s);
    auto file = scratch.write("a.toml", "data = \"rel/data\"\nname = \"kiosk-1\"\n"
                                        "trust_ca = [\"x.pem\", \"/abs/y.pem\"]\n"
                                        "[net]\nport = 7000\nidle_timeout_s = 5\n"
                                        "[ui]\nfullscreen = false\n");
    auto parsed = t.parse({"--config", file, "--port", "7001"});
    REQUIRE(parsed);
    CHECK(s.data == (scratch.dir / "rel/data").string()); // a path from the file's folder
    CHECK(s.name == "kiosk-1");
    CHECK(s.port == 7001);
    CHECK(s.idle == std::chrono::seconds(5));
    CHECK_FALSE(s.fullscreen);
    CHECK(s.cas == std::vector<std::string>{(scratch.dir / "x.pem").string(), "/abs/y.pem"});
    CHECK(parsed->configFile == file);
}

TEST_CASE("Table::parse: --help and --version win over everything else")
{
    Settings s;
    options::Table t;
    declare(t, s);
    CHECK(t.parse({"--bogus", "--help"})->help);
    CHECK(t.parse({"-h"})->help);
    CHECK(t.parse({"--version", "--port"})->version);
}

TEST_CASE("Table::parse: a bad flag is one line naming the flag")
{
    struct Case {
        std::vector<std::string> args;
        std::string named;
    };
    const Case cases[] = {
        {{"--data", "/d", "--bogus"}, "unknown flag --bogus"},
        {{"--data"}, "--data needs a value"},
        {{"--data", "--port", "1"}, "--data needs a value"},
        {{"--data=", "x"}, "--data needs a value"},
        {{"--data", "/a", "--data", "/b"}, "--data given twice"},
        {{"--data", "/d", "--port", "x1"}, "--port (net.port): expected a whole number"},
        {{"--data", "/d", "--port", "0"}, "1-65535"},
        {{"--data", "/d", "--colour", "blue"}, "expected \"red\" or \"green\", got 'blue'"},
        {{"--data", "/d", "--demo=maybe"}, "--demo: expected true or false"},
        {{"--port", "1"}, "missing --data DIR (or data in the config file)"},
    };
    for (const auto& c : cases) {
        Settings s;
        options::Table t;
        declare(t, s);
        auto parsed = t.parse(c.args);
        INFO(c.named);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == Errc::InvalidArgument);
        CHECK(parsed.error().message.find(c.named) != std::string::npos);
        CHECK(oneLine(parsed.error()));
    }
}

TEST_CASE("Table::parse: a bad file is one line naming the key")
{
    Scratch scratch;
    struct Case {
        std::string text;
        std::string named;
    };
    const Case cases[] = {
        {"colour2 = 1\n", "unknown key 'colour2'"},
        {"[net]\nportt = 1\n", "unknown key 'net.portt'"},
        {"name = 5\n", "key 'name': expected a string, got an integer"},
        {"[net]\nport = \"8444\"\n", "key 'net.port': expected an integer, got a string"},
        {"[net]\nport = 70000\n", "key 'net.port': expected a whole number 1-65535"},
        {"[ui]\nfullscreen = \"no\"\n", "key 'ui.fullscreen': expected true or false"},
        {"trust_ca = [1]\n", "key 'trust_ca': expected a string or an array of strings"},
        {"name = \"../x\"\n", "key 'name': must be a plain name"},
        {"data = \"\"\n", "key 'data': must not be empty"},
        {"colour = \"blue\"\n", "key 'colour'"},
        {"net = 3\n", "unknown key 'net'"},
        {"[ui\nx=", "bad.toml"},
    };
    for (const auto& c : cases) {
        Settings s;
        options::Table t;
        declare(t, s);
        auto file = scratch.write("bad.toml", c.text);
        auto parsed = t.parse({"--config", file, "--data", "/d"});
        INFO(c.text);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == Errc::ConfigInvalid);
        CHECK(parsed.error().message.find(c.named) != std::string::npos);
        CHECK(oneLine(parsed.error()));
    }
    Settings s;
    options::Table t;
    declare(t, s);
    auto missing = t.parse({"--config", (scratch.dir / "none.toml").string()});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::ConfigMissing);
    CHECK(missing.error().message.find("none.toml") != std::string::npos);
}

TEST_CASE("Table::parse: a key or value with control characters stays on one line")
{
    const std::string texts[] = {
        "\"a\\nb\" = 1\n",                 // an unknown key with a newline in its name
        "name = \"x\\ny/\"\n",             // a value refused by a check that quotes it
        "colour = \"\\r\\u0001\"\n",      // a choice that quotes the value
    };
    for (const auto& text : texts) {
        Settings s;
        options::Table t;
        declare(t, s);
        auto parsed = t.parse({"--data", "/d"}, {text, "/etc/x.toml"});
        INFO(text);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == Errc::ConfigInvalid);
        CHECK(oneLine(parsed.error()));
        CHECK(parsed.error().message.find("\\") != std::string::npos); // written as escapes
    }
    Settings s;
    options::Table t;
    declare(t, s);
    auto flag = t.parse({"--data", "/d", "--colour", "a\nb"});
    REQUIRE_FALSE(flag);
    CHECK(oneLine(flag.error()));
    CHECK(flag.error().message.find("a\\nb") != std::string::npos);
}

TEST_CASE("Table::parse: arrays nested too deep are refused before toml11 recurses")
{
    // 200 000 levels overflowed the stack inside toml11 (found by fuzz_config).
    const std::string deep = "trust_ca = " + std::string(200000, '[') + "\"a\"" +
                             std::string(200000, ']') + "\n";
    const std::string deepInline = "x = " + std::string(1000, '{') + "\n";
    for (const auto& text : {deep, deepInline}) {
        Settings s;
        options::Table t;
        declare(t, s);
        auto parsed = t.parse({"--data", "/d"}, {text, "/etc/x.toml"});
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == Errc::ConfigInvalid);
        CHECK(parsed.error().message.find("nested more than 64 deep") != std::string::npos);
    }
    // Brackets in strings and comments do not count; real nesting within the bound reads.
    Settings s;
    options::Table t;
    declare(t, s);
    auto fine = t.parse({"--data", "/d"},
                        {"# " + std::string(100, '[') + "\nname = \"" + std::string(100, '{') +
                             "\"\ntrust_ca = [\"a\", \'" + std::string(100, '[') + "\']\n",
                         "/etc/x.toml"});
    REQUIRE(fine);
    CHECK(s.name == std::string(100, '{'));
    CHECK(s.cas.size() == 2);
}

TEST_CASE("Table::parse: a binary number of more than 62 digits is refused before toml11 reads it")
{
    // toml11 3.7.1 doubles a 64-bit place value per digit, leading zeros too: the 63rd overflowed
    // (signed overflow, found by fuzz_config).
    const std::string zeros63 = "0b" + std::string(62, '0') + "1";
    const std::string grouped = "0b" + std::string(40, '1') + "_" + std::string(23, '0');
    for (const auto& text : {"[net]\nport = " + zeros63 + "\n", "trust_ca = [" + grouped + "]\n",
                             "x = {y = " + zeros63 + "}\n"}) {
        Settings s;
        options::Table t;
        declare(t, s);
        auto parsed = t.parse({"--data", "/d"}, {text, "/etc/x.toml"});
        INFO(text);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == Errc::ConfigInvalid);
        CHECK(parsed.error().message ==
              "/etc/x.toml: a binary number (0b…) of more than 62 digits");
    }
    // 62 digits reach toml11 and the option's own range check; a 0b in a string, a comment or
    // a bare key is not a number.
    const std::string long63 = std::string(63, '1');
    for (const auto& text :
         {"[net]\nport = 0b" + std::string(61, '0') + "1\n",
          "name = \"0b" + long63 + "\" # 0b" + long63 + "\n[net]\nport = 0b1\n"}) {
        Settings s;
        options::Table t;
        declare(t, s);
        INFO(text);
        REQUIRE(t.parse({"--data", "/d"}, {text, "/etc/x.toml"}));
        CHECK(s.port == 1);
    }
    Settings s;
    options::Table t;
    declare(t, s);
    auto key = t.parse({"--data", "/d"}, {"a0b" + long63 + " = 1\n", "/etc/x.toml"});
    REQUIRE_FALSE(key);
    CHECK(key.error().message.find("binary") == std::string::npos);
}

TEST_CASE("Table::parse: a key with too many dots is refused before toml11 reads it")
{
    // toml11 took seconds on keys of a few thousand parts (found by fuzz_config).
    std::string bare = "a";
    std::string quoted = "[\"a\"";
    for (int i = 0; i < 5000; ++i) {
        bare += ".a";
        quoted += " . \"b\"";
    }
    for (const auto& text : {bare + " = 1\n", quoted + "]\n", "x = {" + bare + " = 1}\n"}) {
        Settings s;
        options::Table t;
        declare(t, s);
        auto parsed = t.parse({"--data", "/d"}, {text, "/etc/x.toml"});
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == Errc::ConfigInvalid);
        CHECK(parsed.error().message == "/etc/x.toml: a key with more than 64 dots");
    }
    // Dots in values, strings and comments count per float, not per line or file: many floats
    // in one array, a long dotted string and comment, and a key of 64 dots get to toml11 (which
    // then refuses the unknown key, as it would any).
    std::string floats = "trust_ca = [";
    for (int i = 0; i < 200; ++i) {
        floats += "1.5, ";
    }
    floats += "]\n";
    std::string dots64 = "a";
    for (int i = 0; i < 64; ++i) {
        dots64 += ".a";
    }
    for (const auto& text : {floats, "name = \"" + std::string(500, '.') + "\" # " +
                                         std::string(500, '.') + "\n",
                             dots64 + " = 1\n"}) {
        Settings s;
        options::Table t;
        declare(t, s);
        auto parsed = t.parse({"--data", "/d"}, {text, "/etc/x.toml"});
        if (!parsed) {
            CHECK(parsed.error().message.find("dots") == std::string::npos);
        }
    }
    Settings s;
    options::Table t;
    declare(t, s);
    REQUIRE(t.parse({"--data", "/d"}, {"name = \"" + std::string(500, '.') + "\"\n", "/x.toml"}));
    CHECK(s.name == std::string(500, '.'));
}

TEST_CASE("Table::parse: text that is not UTF-8 is refused with its line before toml11 reads it")
{
    // toml11 3.7.1 read past its buffer reporting bad UTF-8 in a ''' string (found by fuzz_config,
    // the input in tests/fuzz/corpus/fuzz_config/toml11-ml-literal-bad-utf8); every kind of
    // string, a key and a comment are refused the same way, naming the line.
    const std::string bad = "\xdb\xc2";
    for (const auto& text : {"a = '''" + bad + "'''\n", "\nname = \"" + bad + "\"\n",
                             "\n\nname = '" + bad + "'\n", "x = 1 # " + bad + "\n",
                             "\n\n\n" + bad + " = 1"}) {
        Settings s;
        options::Table t;
        declare(t, s);
        auto parsed = t.parse({"--data", "/d"}, {text, "/etc/x.toml"});
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == Errc::ConfigInvalid);
        CHECK(parsed.error().message.find("not UTF-8 text") != std::string::npos);
    }
    Settings s;
    options::Table t;
    declare(t, s);
    auto parsed = t.parse({"--data", "/d"}, {"\n\nname = \"\xff\"\n", "/etc/x.toml"});
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message == "/etc/x.toml:3: not UTF-8 text (save the file as UTF-8)");
    // Japanese, a byte order mark and 4-byte characters are UTF-8 and read.
    REQUIRE(t.parse({"--data", "/d"}, {"\xef\xbb\xbfname = \"受付 𠮷\"\n", "/etc/x.toml"}));
    CHECK(s.name == "受付 𠮷");
}

TEST_CASE("Table::parse with a ConfigText: the text is read as the file it names")
{
    Scratch scratch;
    Settings s;
    options::Table t;
    declare(t, s);
    // The text wins over any --config; relative paths are taken from the named file's folder.
    auto parsed = t.parse({"--config", (scratch.dir / "none.toml").string(), "--port", "9"},
                          {"data = \"d\"\ntrust_ca = \"ca.pem\"\n[net]\nport = 8\n",
                           "/etc/uketsuke/x.toml"});
    REQUIRE(parsed);
    CHECK(s.data == "/etc/uketsuke/d");
    CHECK(s.cas == std::vector<std::string>{"/etc/uketsuke/ca.pem"});
    CHECK(s.port == 9); // the flag over the text

    Settings bad;
    options::Table badTable;
    declare(badTable, bad);
    auto refused = badTable.parse({}, {"[net]\nport = \"8444\"\n", "/etc/uketsuke/x.toml"});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::ConfigInvalid);
    CHECK(refused.error().message ==
          "/etc/uketsuke/x.toml: key 'net.port': expected an integer, got a string");
}

TEST_CASE("Table::flagsHelp and keysHelp: come from the declarations")
{
    Settings s;
    options::Table t;
    declare(t, s);
    const std::string flags = t.flagsHelp();
    CHECK(flags.find("--data DIR") != std::string::npos);
    CHECK(flags.find("default var/data") != std::string::npos);
    CHECK(flags.find("--port PORT") != std::string::npos);
    CHECK(flags.find("net.port") != std::string::npos);
    CHECK(flags.find("--trust-ca FILE") != std::string::npos);
    CHECK(flags.find("repeatable") != std::string::npos);
    CHECK(flags.find("--windowed ") != std::string::npos);
    CHECK(flags.find("--config FILE") != std::string::npos);
    CHECK(flags.find("name") == std::string::npos); // a key only
    const std::string keys = t.keysHelp();
    CHECK(keys.find("net.idle_timeout_s = 30") != std::string::npos);
    CHECK(keys.find("name") != std::string::npos);
    CHECK(keys.find("--port") == std::string::npos);
}

TEST_CASE("Table: a flag or key declared twice is a programmer's mistake")
{
    Settings s;
    options::Table t;
    t.text("--a", "a", "A", s.name, "");
    CHECK_THROWS_AS(t.text("--a", "b", "A", s.name, ""), std::logic_error);
    CHECK_THROWS_AS(t.text("--b", "a", "A", s.name, ""), std::logic_error);
    CHECK_THROWS_AS(t.text("-b", "", "A", s.name, ""), std::logic_error);
}

TEST_CASE("parseHostPort: IPv4, names and bracketed IPv6")
{
    auto v4 = options::parseHostPort("127.0.0.1:8444");
    REQUIRE(v4);
    CHECK(v4->host == "127.0.0.1");
    CHECK(v4->port == 8444);
    auto v6 = options::parseHostPort("[::1]:0");
    REQUIRE(v6);
    CHECK(v6->host == "::1");
    CHECK(v6->port == 0);
    CHECK(options::parseHostPort("::1:80").error().message.find("brackets") != std::string::npos);
    CHECK(options::parseHostPort("host:65536").error().message.find("0-65535") !=
          std::string::npos);
    CHECK(options::parseHostPort("8443").error().message.find("HOST:PORT") != std::string::npos);
    CHECK_FALSE(options::parseHostPort("host:"));
    CHECK_FALSE(options::parseHostPort(":80"));
    CHECK_FALSE(options::parseHostPort("host:8x"));
    CHECK(options::httpsUrl("::1", 8443) == "https://[::1]:8443");
    CHECK(options::httpsUrl("127.0.0.1", 1) == "https://127.0.0.1:1");
}

TEST_CASE("Table::hostPort: a HOST:PORT option fills host and port, or names the flag")
{
    std::string host = "127.0.0.1";
    int port = 8444;
    options::Table t;
    t.hostPort("--listen", "listen", host, port, "where to listen");
    CHECK(t.flagsHelp().find("--listen HOST:PORT") != std::string::npos);
    CHECK(t.flagsHelp().find("default 127.0.0.1:8444") != std::string::npos);
    REQUIRE(t.parse({"--listen", "[::1]:0"}));
    CHECK(host == "::1");
    CHECK(port == 0);

    options::Table bad;
    bad.hostPort("--listen", "listen", host, port, "where to listen");
    auto parsed = bad.parse({"--listen=8443"});
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message.find("--listen: expected HOST:PORT") != std::string::npos);
}
