#pragma once

// What a lookup by insurance card data asks (the terminal's insurance-card form, the desk's
// re-check): the data printed on a 資格確認書, a 資格情報のお知らせ or an old 保険証. Checked and
// normalised by the one who sends it (oqs/file_exchange.hpp).

#include <string>

namespace uketsuke::kiosk::model {

// A lookup by the data printed on a 資格確認書, a 資格情報のお知らせ or an old 保険証
// (docs/oqs-files.md): the patient or staff type it in.
struct InsuranceCardQuery {
    std::string insurerNumber;               // 6 or 8 digits; normalised by the source
    std::string insuredCardSymbol;           // 記号, may be empty
    std::string insuredIdentificationNumber; // 番号
    std::string insuredBranchNumber;         // 枝番, 2 digits, may be empty
    std::string birthdate;                   // YYYYMMDD
    bool limitApplicationConsent = false;
    std::string serviceDate; // the 施術日, YYYYMMDD; empty: today in Japan
};

} // namespace uketsuke::kiosk::model
