#include "kiosk/config/config.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace uketsuke;
using namespace uketsuke::kiosk::config;

namespace {

std::string writeToml(const std::string& name, const std::string& text)
{
    auto dir = std::filesystem::temp_directory_path() /
               ("uketsuke-config-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto path = (dir / name).string();
    std::ofstream(path) << text;
    return path;
}

} // namespace

TEST_CASE("parseKioskArgs: --pki sets the TLS files and the virtual cards' folder")
{
    auto c = parseKioskArgs({"--pki", "/p", "--gateway", "https://g:1", "--desk", "https://d:2"});
    REQUIRE(c.has_value());
    CHECK(c->gatewayTls.ca == "/p/tls/ca.pem");
    CHECK(c->gatewayTls.cert == "/p/tls/terminal.pem");
    CHECK(c->deskTls.key == "/p/tls/terminal.key");
    CHECK(c->simPkiDir == "/p");
    CHECK(c->gatewayUrl == "https://g:1");
    CHECK(c->deskUrl == "https://d:2");
    CHECK(c->fullscreen);
}

TEST_CASE("parseKioskArgs: --help and --version need nothing else")
{
    CHECK(parseKioskArgs({"--help"})->action == KioskConfig::Action::Help);
    CHECK(parseKioskArgs({"--version"})->action == KioskConfig::Action::Version);
}

TEST_CASE("parseKioskArgs: flags override the config file")
{
    auto file = writeToml("k.toml", R"(
clinic_code = "1311111111"
[ui]
width = 800
fullscreen = false
[gateway]
url = "https://from-file:1"
[timeouts]
enter_pin_s = 30
enter_insurance_s = 200
)");
    auto c = parseKioskArgs({"--config", file, "--pki", "/p", "--gateway", "https://flag:2"});
    REQUIRE(c.has_value());
    CHECK(c->clinicCode == "1311111111");
    CHECK(c->width == 800);
    CHECK_FALSE(c->fullscreen);
    CHECK(c->gatewayUrl == "https://flag:2");
    CHECK(c->timeouts.enterPin == std::chrono::seconds(30));
    CHECK(c->timeouts.enterInsurance == std::chrono::seconds(200));
}

TEST_CASE("parseKioskArgs: a bad flag or key is one clear line")
{
    auto unknown = parseKioskArgs({"--pki", "/p", "--colour", "red"});
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().code == Errc::ConfigInvalid);
    CHECK(unknown.error().message.find("--colour") != std::string::npos);

    auto missingValue = parseKioskArgs({"--pki"});
    REQUIRE_FALSE(missingValue.has_value());
    CHECK(missingValue.error().message.find("--pki") != std::string::npos);

    auto badKey = parseKioskArgs({"--config", writeToml("bad.toml", "colour = 1\n"), "--pki", "/p"});
    REQUIRE_FALSE(badKey.has_value());
    CHECK(badKey.error().message.find("colour") != std::string::npos);

    auto badValue =
        parseKioskArgs({"--config", writeToml("neg.toml", "[ui]\nwidth = -3\n"), "--pki", "/p"});
    REQUIRE_FALSE(badValue.has_value());
    CHECK(badValue.error().message.find("ui.width") != std::string::npos);

    auto badUrl = parseKioskArgs({"--pki", "/p", "--desk", "http://plain"});
    REQUIRE_FALSE(badUrl.has_value());
    CHECK(badUrl.error().message.find("desk.url") != std::string::npos);

    auto corrupt = parseKioskArgs({"--config", writeToml("corrupt.toml", "[ui\nwidth=")});
    REQUIRE_FALSE(corrupt.has_value());
    CHECK(corrupt.error().code == Errc::ConfigInvalid);
    CHECK(corrupt.error().message.find('\n') == std::string::npos);

    auto missing = parseKioskArgs({"--config", "/nonexistent/kiosk.toml"});
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == Errc::ConfigMissing);
}

TEST_CASE("parseKioskArgs: headless needs a script, and the sim reader needs a PKI")
{
    CHECK_FALSE(parseKioskArgs({"--pki", "/p", "--headless"}).has_value());
    CHECK(parseKioskArgs({"--pki", "/p", "--headless", "--script", "s"})->headless);
    CHECK_FALSE(parseKioskArgs({}).has_value());
}

TEST_CASE("parseKioskArgs: eligibility defaults to the gateway, oqs to UTF-8 and 30 s")
{
    auto c = parseKioskArgs({"--pki", "/p"});
    REQUIRE(c.has_value());
    CHECK(c->eligibility == EligibilityKind::Gateway);
    CHECK(usesGateway(c->eligibility));
    CHECK_FALSE(usesOqsFiles(c->eligibility));
    CHECK(c->oqs.reqDir.empty());
    CHECK(c->oqs.resDir.empty());
    CHECK(c->oqs.encoding == kiosk::model::XmlEncoding::Utf8);
    CHECK(c->oqs.timeout == std::chrono::seconds(30));
}

TEST_CASE("parseKioskArgs: eligibility.source takes each of its three values")
{
    auto file = writeToml("oqs.toml", R"(
[oqs]
req_dir = "/srv/oqs/req"
res_dir = "/srv/oqs/res"
)");
    struct Case {
        std::string text;
        EligibilityKind kind;
        bool gateway;
        bool oqsFiles;
    };
    for (const auto& each : {Case{"gateway", EligibilityKind::Gateway, true, false},
                             Case{"oqs-files", EligibilityKind::OqsFiles, false, true},
                             Case{"gateway+oqs-files", EligibilityKind::GatewayAndOqsFiles, true,
                                  true}}) {
        CAPTURE(each.text);
        auto fromFlag = parseKioskArgs({"--config", file, "--pki", "/p", "--eligibility", each.text});
        REQUIRE(fromFlag.has_value());
        CHECK(fromFlag->eligibility == each.kind);
        CHECK(eligibilityKindName(fromFlag->eligibility) == each.text);
        CHECK(usesGateway(fromFlag->eligibility) == each.gateway);
        CHECK(usesOqsFiles(fromFlag->eligibility) == each.oqsFiles);

        auto fromFile = parseKioskArgs(
            {"--config",
             writeToml("source.toml", "[eligibility]\nsource = \"" + each.text + "\"\n"
                                      "[oqs]\nreq_dir = \"/r\"\nres_dir = \"/s\"\n"),
             "--pki", "/p"});
        REQUIRE(fromFile.has_value());
        CHECK(fromFile->eligibility == each.kind);
    }
}

TEST_CASE("parseKioskArgs: the oqs keys and flags set the 資格確認端末 folders")
{
    auto file = writeToml("oqs-all.toml", R"(
clinic_code = "1312345678"
[eligibility]
source = "oqs-files"
[oqs]
req_dir = "/mnt/oqs/req"
res_dir = "/mnt/oqs/res"
encoding = "shift_jis"
timeout_s = 45
)");
    auto c = parseKioskArgs({"--config", file, "--pki", "/p"});
    REQUIRE(c.has_value());
    CHECK(c->eligibility == EligibilityKind::OqsFiles);
    CHECK(c->oqs.reqDir == "/mnt/oqs/req");
    CHECK(c->oqs.resDir == "/mnt/oqs/res");
    CHECK(c->oqs.encoding == kiosk::model::XmlEncoding::ShiftJis);
    CHECK(c->oqs.timeout == std::chrono::seconds(45));
    CHECK(c->clinicCode == "1312345678");

    auto flags = parseKioskArgs({"--config", file, "--pki", "/p", "--oqs-req", "/a",
                                 "--oqs-res", "/b", "--eligibility", "gateway+oqs-files"});
    REQUIRE(flags.has_value());
    CHECK(flags->eligibility == EligibilityKind::GatewayAndOqsFiles);
    CHECK(flags->oqs.reqDir == "/a");
    CHECK(flags->oqs.resDir == "/b");

    auto utf8 = parseKioskArgs(
        {"--config", writeToml("utf8.toml", "[oqs]\nencoding = \"utf-8\"\n"), "--pki", "/p"});
    REQUIRE(utf8.has_value());
    CHECK(utf8->oqs.encoding == kiosk::model::XmlEncoding::Utf8);
}

TEST_CASE("parseKioskArgs: a bad eligibility or oqs value is one line naming the key")
{
    auto badSource = parseKioskArgs({"--pki", "/p", "--eligibility", "oqs"});
    REQUIRE_FALSE(badSource.has_value());
    CHECK(badSource.error().code == Errc::ConfigInvalid);
    CHECK(badSource.error().message.find("eligibility.source") != std::string::npos);
    CHECK(badSource.error().message.find("'oqs'") != std::string::npos);

    auto badFileSource = parseKioskArgs(
        {"--config", writeToml("bad-source.toml", "[eligibility]\nsource = \"Gateway\"\n"),
         "--pki", "/p"});
    REQUIRE_FALSE(badFileSource.has_value());
    CHECK(badFileSource.error().message.find("eligibility.source") != std::string::npos);

    auto badEncoding = parseKioskArgs(
        {"--config", writeToml("bad-enc.toml", "[oqs]\nencoding = \"euc-jp\"\n"), "--pki", "/p"});
    REQUIRE_FALSE(badEncoding.has_value());
    CHECK(badEncoding.error().code == Errc::ConfigInvalid);
    CHECK(badEncoding.error().message.find("oqs.encoding") != std::string::npos);

    for (const char* timeout : {"0", "-5", "\"soon\""}) {
        CAPTURE(timeout);
        auto badTimeout = parseKioskArgs(
            {"--config", writeToml("bad-timeout.toml", std::string("[oqs]\ntimeout_s = ") +
                                                           timeout + "\n"),
             "--pki", "/p"});
        REQUIRE_FALSE(badTimeout.has_value());
        CHECK(badTimeout.error().message.find("oqs.timeout_s") != std::string::npos);
    }

    for (const auto* error : {&badSource, &badFileSource, &badEncoding}) {
        CHECK(error->error().message.find('\n') == std::string::npos);
    }
}

TEST_CASE("parseKioskArgs: oqs-files needs both folders")
{
    for (const char* source : {"oqs-files", "gateway+oqs-files"}) {
        CAPTURE(source);
        auto none = parseKioskArgs({"--pki", "/p", "--eligibility", source});
        REQUIRE_FALSE(none.has_value());
        CHECK(none.error().code == Errc::ConfigInvalid);
        CHECK(none.error().message.find("oqs.req_dir") != std::string::npos);
        CHECK(none.error().message.find(source) != std::string::npos);
        CHECK(none.error().message.find('\n') == std::string::npos);

        auto noRes =
            parseKioskArgs({"--pki", "/p", "--eligibility", source, "--oqs-req", "/srv/req"});
        REQUIRE_FALSE(noRes.has_value());
        CHECK(noRes.error().code == Errc::ConfigInvalid);
        CHECK(noRes.error().message.find("oqs.res_dir") != std::string::npos);

        auto noReq =
            parseKioskArgs({"--pki", "/p", "--eligibility", source, "--oqs-res", "/srv/res"});
        REQUIRE_FALSE(noReq.has_value());
        CHECK(noReq.error().message.find("oqs.req_dir") != std::string::npos);
    }
    // The gateway alone does not need them.
    CHECK(parseKioskArgs({"--pki", "/p", "--eligibility", "gateway"}).has_value());
}

TEST_CASE("parseKioskArgs: PIN entry keys")
{
    auto defaults = parseKioskArgs({"--pki", "/p"});
    REQUIRE(defaults.has_value());
    CHECK(defaults->pinReaderPad);
    CHECK(defaults->pinPadTimeoutSeconds == 30);
    CHECK(defaults->pinKeypad.empty());

    auto file = writeToml("pin.toml", R"(
[pin]
reader_pad = false
pad_timeout_s = 45
keypad = "/dev/input/by-id/usb-keypad-event-kbd"
)");
    auto c = parseKioskArgs({"--config", file, "--pki", "/p"});
    REQUIRE(c.has_value());
    CHECK_FALSE(c->pinReaderPad);
    CHECK(c->pinPadTimeoutSeconds == 45);
    CHECK(c->pinKeypad == "/dev/input/by-id/usb-keypad-event-kbd");

    auto tooLong = parseKioskArgs(
        {"--config", writeToml("pin-long.toml", "[pin]\npad_timeout_s = 300\n"), "--pki", "/p"});
    REQUIRE_FALSE(tooLong.has_value());
    CHECK(tooLong.error().code == Errc::ConfigInvalid);
    CHECK(tooLong.error().message.find("pin.pad_timeout_s") != std::string::npos);

    auto notBool = parseKioskArgs(
        {"--config", writeToml("pin-bool.toml", "[pin]\nreader_pad = \"yes\"\n"), "--pki", "/p"});
    REQUIRE_FALSE(notBool.has_value());
    CHECK(notBool.error().message.find("pin.reader_pad") != std::string::npos);
}

TEST_CASE("parseKioskArgs: the printer's paper width and the clinic's time zone")
{
    auto fine = parseKioskArgs({"--config",
                                writeToml("paper.toml", "printer = \"escpos-tcp:127.0.0.1:9100\"\n"
                                                        "printer_width = 384\n"
                                                        "time_zone = \"Asia/Tokyo\"\n"),
                                "--pki", "/p"});
    REQUIRE(fine.has_value());
    CHECK(fine->printerWidthDots == 384);
    CHECK(fine->timeZone == "Asia/Tokyo");

    auto width = parseKioskArgs(
        {"--config", writeToml("width.toml", "printer_width = 600\n"), "--pki", "/p"});
    REQUIRE_FALSE(width.has_value());
    CHECK(width.error().code == Errc::ConfigInvalid);
    CHECK(width.error().message.find("printer_width") != std::string::npos);

    auto zone = parseKioskArgs(
        {"--config", writeToml("zone.toml", "time_zone = \"Tokyo\"\n"), "--pki", "/p"});
    REQUIRE_FALSE(zone.has_value());
    CHECK(zone.error().code == Errc::ConfigInvalid);
    CHECK(zone.error().message.find("time_zone") != std::string::npos);
}

TEST_CASE("parseKioskArgs: the slip's clinic name, name, eligibility summary and window")
{
    auto defaults = parseKioskArgs({"--pki", "/p"});
    REQUIRE(defaults.has_value());
    CHECK(defaults->slip.clinicName.empty());
    CHECK(defaults->slip.name == kiosk::runner::SlipName::Full);
    CHECK_FALSE(defaults->slip.eligibilitySummary);
    CHECK(defaults->slip.window.empty());

    auto fine = parseKioskArgs({"--config",
                                writeToml("slip.toml", "clinic_name = \"さくら整骨院\"\n"
                                                       "[slip]\n"
                                                       "name = \"initials\"\n"
                                                       "eligibility_summary = true\n"
                                                       "window = \"2番窓口\"\n"),
                                "--pki", "/p"});
    REQUIRE(fine.has_value());
    CHECK(fine->slip.clinicName == "さくら整骨院");
    CHECK(fine->slip.name == kiosk::runner::SlipName::Initials);
    CHECK(fine->slip.eligibilitySummary);
    CHECK(fine->slip.window == "2番窓口");

    for (const char* bad : {"[slip]\nname = \"kana\"\n", "[slip]\neligibility_summary = 1\n"}) {
        auto wrong = parseKioskArgs({"--config", writeToml("bad-slip.toml", bad), "--pki", "/p"});
        REQUIRE_FALSE(wrong.has_value());
        CHECK(wrong.error().code == Errc::ConfigInvalid);
        CHECK(wrong.error().message.find("slip.") != std::string::npos);
    }
}

TEST_CASE("parseKioskArgs: doctor printer takes --test-slip and needs no PKI")
{
    auto c = parseKioskArgs({"doctor", "printer", "--printer", "sim:/tmp/x", "--test-slip"});
    REQUIRE(c.has_value());
    CHECK(c->action == KioskConfig::Action::DoctorPrinter);
    CHECK(c->doctorTestSlip);
    CHECK(c->printer == "sim:/tmp/x");
    auto plain = parseKioskArgs({"doctor", "printer"});
    REQUIRE(plain.has_value());
    CHECK_FALSE(plain->doctorTestSlip);
    // --test-slip belongs to doctor printer only.
    auto run = parseKioskArgs({"--test-slip"});
    REQUIRE_FALSE(run.has_value());
    CHECK(run.error().message.find("--test-slip") != std::string::npos);
    auto unknown = parseKioskArgs({"doctor", "fax"});
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().message.find("doctor printer") != std::string::npos);
}

TEST_CASE("parseKioskArgs: printer_status_s and desk.health_s are whole seconds")
{
    auto c = parseKioskArgs({"--config", writeToml("health.toml", "printer_status_s = 2\n"
                                                                  "[desk]\nhealth_s = 30\n"),
                             "--pki", "/p"});
    REQUIRE(c.has_value());
    CHECK(c->printerStatusSeconds == 2);
    CHECK(c->deskHealthSeconds == 30);
    CHECK(KioskConfig{}.printerStatusSeconds == 5);
    CHECK(KioskConfig{}.deskHealthSeconds == 60);
    auto bad = parseKioskArgs({"--config", writeToml("bad-health.toml", "printer_status_s = 0\n"),
                               "--pki", "/p"});
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message.find("printer_status_s") != std::string::npos);
}

TEST_CASE("parseKioskArgs: clinic_code, terminal_id and sim.persona are refused naming the key")
{
    struct Case {
        std::string toml;
        std::string key;
    };
    const Case cases[] = {
        {"clinic_code = \"abc\"\n", "clinic_code"},
        {"clinic_code = \"139999999\"\n", "clinic_code"},
        {"clinic_code = 1399999999\n", "clinic_code"},
        {"terminal_id = 5\n", "terminal_id"},
        {"[sim]\npersona = \"../x\"\n", "sim.persona"},
        {"[sim]\npersona = \"a/b\"\n", "sim.persona"},
        {"[ui]\nfullscreen = \"false\"\n", "ui.fullscreen"},
        {"[ui]\nwidht = 800\n", "ui.widht"},
    };
    for (const auto& each : cases) {
        CAPTURE(each.toml);
        auto c = parseKioskArgs({"--config", writeToml("refused.toml", each.toml), "--pki", "/p"});
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error().code == Errc::ConfigInvalid);
        CHECK(c.error().message.find("'" + each.key + "'") != std::string::npos);
        CHECK(c.error().message.find('\n') == std::string::npos);
    }
    auto persona = parseKioskArgs({"--pki", "/p", "--persona", "../x"});
    REQUIRE_FALSE(persona.has_value());
    CHECK(persona.error().code == Errc::ConfigInvalid);
    CHECK(persona.error().message.find("--persona") != std::string::npos);

    auto fine = parseKioskArgs({"--config",
                                writeToml("fine.toml", "clinic_code = \"1312345678\"\n"
                                                       "terminal_id = \"KIOSK-0002\"\n"),
                                "--pki", "/p", "--persona", "one-try"});
    REQUIRE(fine.has_value());
    CHECK(fine->clinicCode == "1312345678");
    CHECK(fine->terminalId == "KIOSK-0002");
    CHECK(fine->simPersona == "one-try");
}

TEST_CASE("kioskUsage: lists every flag and the keys without one, from the declarations")
{
    const std::string usage = kioskUsage();
    for (const char* flag : {"--config FILE", "--pki DIR", "--gateway URL", "--desk URL",
                             "--data DIR", "--persona ID", "--windowed", "--headless",
                             "--script FILE", "--wait SECONDS", "--version", "--help"}) {
        CAPTURE(flag);
        CHECK(usage.find(flag) != std::string::npos);
    }
    CHECK(usage.find("clinic_code = \"1399999999\"") != std::string::npos);
    CHECK(usage.find("timeouts.enter_pin_s = 90") != std::string::npos);
}

TEST_CASE("parseKioskArgs: the default desk and gateway ports are the programs' defaults")
{
    auto c = parseKioskArgs({"--pki", "/p"});
    REQUIRE(c.has_value());
    CHECK(c->deskUrl == "https://127.0.0.1:8444");    // uketsuke-desk's default --listen
    CHECK(c->gatewayUrl == "https://127.0.0.1:8443"); // the gateway's documented port
}

TEST_CASE("consentTopics: none by default, the configured ones in the order they are asked")
{
    auto defaults = parseKioskArgs({"--pki", "/p"});
    REQUIRE(defaults.has_value());
    CHECK(consentTopics(*defaults).empty()); // a 施術所 with the 資格確認限定型

    auto file = writeToml("consent.toml", R"(
[consent]
limit_application = true
diagnosis_pharmacists = true
[timeouts]
consent_s = 45
)");
    auto c = parseKioskArgs({"--config", file, "--pki", "/p"});
    REQUIRE(c.has_value());
    using kiosk::model::ConsentTopic;
    CHECK(consentTopics(*c) == std::vector<ConsentTopic>{ConsentTopic::DiagnosisPharmacists,
                                                         ConsentTopic::LimitApplication});
    CHECK(c->timeouts.consent == std::chrono::seconds(45));

    auto bad = parseKioskArgs({"--config", writeToml("bad-consent.toml", "[consent]\nx = true\n"),
                               "--pki", "/p"});
    CHECK_FALSE(bad.has_value());
}

TEST_CASE("parseKioskArgs: sound keys: mute, speech, volume 0-100, reminder, cache folder")
{
    auto defaults = parseKioskArgs({"--pki", "/p", "--data", "/d"});
    REQUIRE(defaults.has_value());
    CHECK_FALSE(defaults->sound.mute);
    CHECK(defaults->sound.speech);
    CHECK(defaults->sound.volume == 80);
    CHECK(defaults->sound.reminderSeconds == 15);
    CHECK(defaults->sound.cacheDir == "/d/voice");

    auto c = parseKioskArgs({"--config", writeToml("sound.toml", "[sound]\n"
                                                                 "mute = true\n"
                                                                 "speech = false\n"
                                                                 "volume = 0\n"
                                                                 "reminder_s = 0\n"
                                                                 "cache_dir = \"/var/cache/v\"\n"),
                             "--pki", "/p"});
    REQUIRE(c.has_value());
    CHECK(c->sound.mute);
    CHECK_FALSE(c->sound.speech);
    CHECK(c->sound.volume == 0);
    CHECK(c->sound.reminderSeconds == 0);
    CHECK(c->sound.cacheDir == "/var/cache/v");

    for (const char* bad : {"[sound]\nvolume = 101\n", "[sound]\nvolume = -1\n",
                            "[sound]\nvolume = \"loud\"\n", "[sound]\nmute = 1\n",
                            "[sound]\nreminder_s = -5\n", "[sound]\nloudness = 3\n"}) {
        INFO(bad);
        auto r = parseKioskArgs({"--config", writeToml("bad-sound.toml", bad), "--pki", "/p"});
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::ConfigInvalid);
        CHECK(r.error().message.find("sound.") != std::string::npos);
    }
}

TEST_CASE("parseKioskArgs: ui.large_text and ui.high_contrast default to false and take booleans "
          "only")
{
    auto defaults = parseKioskArgs({"--pki", "/p"});
    REQUIRE(defaults.has_value());
    CHECK_FALSE(defaults->largeText);
    CHECK_FALSE(defaults->highContrast);

    auto on = parseKioskArgs({"--config",
                              writeToml("display.toml", "[ui]\nlarge_text = true\n"
                                                        "high_contrast = true\n"),
                              "--pki", "/p"});
    REQUIRE(on.has_value());
    CHECK(on->largeText);
    CHECK(on->highContrast);

    auto notBool = parseKioskArgs(
        {"--config", writeToml("display-bad.toml", "[ui]\nlarge_text = \"yes\"\n"), "--pki", "/p"});
    REQUIRE_FALSE(notBool.has_value());
    CHECK(notBool.error().code == Errc::ConfigInvalid);
    CHECK(notBool.error().message.find("ui.large_text") != std::string::npos);

    auto notBool2 = parseKioskArgs(
        {"--config", writeToml("contrast-bad.toml", "[ui]\nhigh_contrast = 1\n"), "--pki", "/p"});
    REQUIRE_FALSE(notBool2.has_value());
    CHECK(notBool2.error().message.find("ui.high_contrast") != std::string::npos);
}

TEST_CASE("parseKioskArgs: ui.renderer is auto unless set, and takes software or accelerated")
{
    auto plain = parseKioskArgs({"--pki", "/p"});
    REQUIRE(plain.has_value());
    CHECK(plain->renderer == Renderer::Auto);
    for (const auto& [text, renderer] :
         {std::pair{std::string("auto"), Renderer::Auto},
          std::pair{std::string("software"), Renderer::Software},
          std::pair{std::string("accelerated"), Renderer::Accelerated}}) {
        CAPTURE(text);
        auto c = parseKioskArgs(
            {"--config", writeToml("renderer.toml", "[ui]\nrenderer = \"" + text + "\"\n"),
             "--pki", "/p"});
        REQUIRE(c.has_value());
        CHECK(c->renderer == renderer);
    }
    auto bad = parseKioskArgs(
        {"--config", writeToml("bad-renderer.toml", "[ui]\nrenderer = \"opengl\"\n"), "--pki",
         "/p"});
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == Errc::ConfigInvalid);
    CHECK(bad.error().message.find("ui.renderer") != std::string::npos);
}

TEST_CASE("parseKioskArgs: ui.tap_guard_ms defaults to 350 and takes 0-2000")
{
    auto defaults = parseKioskArgs({"--pki", "/p"});
    REQUIRE(defaults.has_value());
    CHECK(defaults->tapGuardMs == 350);

    auto off = parseKioskArgs(
        {"--config", writeToml("guard-off.toml", "[ui]\ntap_guard_ms = 0\n"), "--pki", "/p"});
    REQUIRE(off.has_value());
    CHECK(off->tapGuardMs == 0);

    for (const char* bad : {"[ui]\ntap_guard_ms = 2001\n", "[ui]\ntap_guard_ms = -1\n",
                            "[ui]\ntap_guard_ms = \"short\"\n"}) {
        INFO(bad);
        auto r = parseKioskArgs({"--config", writeToml("guard-bad.toml", bad), "--pki", "/p"});
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::ConfigInvalid);
        CHECK(r.error().message.find("ui.tap_guard_ms") != std::string::npos);
    }
}
