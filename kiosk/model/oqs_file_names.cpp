#include "kiosk/model/oqs_xml.hpp"

// The file names of the 資格確認端末's req/res folders (docs/oqs-files.md).

namespace uketsuke::kiosk::model {

std::string singleRequestFileName(std::string_view id)
{
    return std::string(kSingleRequestPrefix) + std::string(id) + ".xml";
}

bool isSingleRequestFileName(std::string_view name)
{
    constexpr std::string_view kSuffix = ".xml";
    if (name.size() <= kSingleRequestPrefix.size() + kSuffix.size() ||
        name.substr(0, kSingleRequestPrefix.size()) != kSingleRequestPrefix ||
        name.substr(name.size() - kSuffix.size()) != kSuffix) {
        return false;
    }
    const auto id = name.substr(kSingleRequestPrefix.size(),
                                name.size() - kSingleRequestPrefix.size() - kSuffix.size());
    if (id.size() > 64) {
        return false;
    }
    for (char c : id) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                        (c >= 'a' && c <= 'z') || c == '_' || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

std::optional<std::string> resultFileNameFor(std::string_view requestName)
{
    // OQS + 5 letters of the interface + 2 digits + "req_" + id + ".xml"
    constexpr std::size_t kAt = 10;
    if (requestName.size() < kAt + 4 + 1 + 4 || requestName.substr(0, 3) != "OQS" ||
        requestName.substr(kAt, 4) != "req_" ||
        requestName.substr(requestName.size() - 4) != ".xml" ||
        requestName.find('/') != std::string_view::npos) {
        return std::nullopt;
    }
    std::string name(requestName);
    name.replace(kAt, 4, "res_");
    return name;
}

} // namespace uketsuke::kiosk::model
