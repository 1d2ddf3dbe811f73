#pragma once

// Personas: the fictional people of the demo and the tests (assets/personas/personas.json,
// format in docs/personas.md). Each has a card (the certificate's subject CN, PIN, tries left,
// validity relative to "now") and the qualification result the gateway answers for it.
//
// Personal data (fictional, but treated as real): Persona has no operator<<, and code logs
// persona ids only, never names, numbers or the card's CN.

#include "base/result.hpp"
#include "kiosk/model/qualification.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::sim {

struct CardSpec {
    // "my_number" (default): a My Number card with a certificate from the test PKI.
    // "foreign": a card that is not a My Number card (hal/sim); no certificate, cn optional.
    bool foreign = false;
    std::string cn;     // subject CN of the user-authentication certificate (opaque id)
    std::string pin;    // the 4-digit 利用者証明用暗証番号 of the virtual card
    int pinTriesLeft = 3;
    int notBeforeDays = 0; // certificate validity, in days relative to PKI generation time
    int notAfterDays = 0;  // notAfter is 23:59:59 JST (14:59:59Z) of that day
    // Listed in the test PKI's revocation list (jpki/revoked.txt): the gateway refuses it.
    bool revoked = false;
};

struct Persona {
    std::string id; // file-name safe: [A-Za-z0-9._-], unique
    CardSpec card;
    kiosk::model::QualificationResult qualification;
};

// The personas file shipped in assets/ (defaultAssetsDir() + "/personas/personas.json").
std::filesystem::path defaultPersonasFile();

// Parses the personas JSON. Errors: ConfigInvalid with the path of the offending field
// ("personas[1].card.pin: must be 4 digits"), never its value.
Result<std::vector<Persona>> parsePersonas(std::string_view json);

// Reads and parses a personas file. Errors: ConfigMissing (cannot read), ConfigInvalid.
Result<std::vector<Persona>> loadPersonas(const std::filesystem::path& file);

// Lookups; nullptr when absent.
const Persona* findPersonaById(const std::vector<Persona>& personas, std::string_view id);
const Persona* findPersonaByCardCn(const std::vector<Persona>& personas, std::string_view cn);

} // namespace uketsuke::sim
