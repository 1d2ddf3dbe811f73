#include "kiosk/model/derived.hpp"

#include "base/utf8.hpp"

#include <cstdint>
#include <vector>

namespace uketsuke::kiosk::model {
namespace {

constexpr std::string_view kFullWidthSpace = "\xE3\x80\x80"; // U+3000

// 010 → 10, 020 → 20, 030 → 30; 0 for anything else.
int ratioPercent(std::string_view code)
{
    if (code == "010") {
        return 10;
    }
    if (code == "020") {
        return 20;
    }
    if (code == "030") {
        return 30;
    }
    return 0;
}

bool isDate(std::string_view text)
{
    if (text.size() != 8) {
        return false;
    }
    for (char c : text) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return true;
}

// Decodes one UTF-8 sequence at `pos`; returns the code point and advances pos, or returns
// U+FFFD and advances one byte on a malformed sequence.
char32_t decode(std::string_view text, std::size_t& pos)
{
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(pos);
    std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3
                                          : (lead >> 3) == 0x1E ? 4
                                                                : 0;
    if (length == 0 || pos + length > text.size()) {
        ++pos;
        return 0xFFFD;
    }
    char32_t cp = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(pos + i) & 0xC0) != 0x80) {
            ++pos;
            return 0xFFFD;
        }
        cp = (cp << 6) | (byte(pos + i) & 0x3F);
    }
    pos += length;
    return cp;
}

void encode(char32_t cp, std::string& out)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// U+FF61..U+FF9D → full width (U+FF9E/U+FF9F, the marks, are handled by the caller).
constexpr char16_t kHalfToFull[] = {
    u'。', u'「', u'」', u'、', u'・', u'ヲ', u'ァ', u'ィ', u'ゥ', u'ェ', u'ォ', u'ャ', u'ュ',
    u'ョ', u'ッ', u'ー', u'ア', u'イ', u'ウ', u'エ', u'オ', u'カ', u'キ', u'ク', u'ケ', u'コ',
    u'サ', u'シ', u'ス', u'セ', u'ソ', u'タ', u'チ', u'ツ', u'テ', u'ト', u'ナ', u'ニ', u'ヌ',
    u'ネ', u'ノ', u'ハ', u'ヒ', u'フ', u'ヘ', u'ホ', u'マ', u'ミ', u'ム', u'メ', u'モ', u'ヤ',
    u'ユ', u'ヨ', u'ラ', u'リ', u'ル', u'レ', u'ロ', u'ワ', u'ン',
};
static_assert(sizeof kHalfToFull / sizeof kHalfToFull[0] == 0xFF9E - 0xFF61);

// The voiced (dakuten) form of a full-width katakana, or 0.
char32_t voiced(char32_t kana)
{
    if ((kana >= U'カ' && kana <= U'チ' && (kana - U'カ') % 2 == 0) || kana == U'ツ' ||
        kana == U'テ' || kana == U'ト') {
        return kana + 1;
    }
    if (kana >= U'ハ' && kana <= U'ホ' && (kana - U'ハ') % 3 == 0) {
        return kana + 1;
    }
    switch (kana) {
    case U'ウ':
        return U'ヴ';
    case U'ワ':
        return U'ヷ';
    case U'ヲ':
        return U'ヺ';
    default:
        return 0;
    }
}

// The semi-voiced (handakuten) form, or 0.
char32_t semiVoiced(char32_t kana)
{
    if (kana >= U'ハ' && kana <= U'ホ' && (kana - U'ハ') % 3 == 0) {
        return kana + 2;
    }
    return 0;
}

std::string_view trim(std::string_view text)
{
    for (;;) {
        if (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
            text.remove_prefix(1);
        } else if (text.substr(0, kFullWidthSpace.size()) == kFullWidthSpace) {
            text.remove_prefix(kFullWidthSpace.size());
        } else {
            break;
        }
    }
    for (;;) {
        if (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
            text.remove_suffix(1);
        } else if (text.size() >= kFullWidthSpace.size() &&
                   text.substr(text.size() - kFullWidthSpace.size()) == kFullWidthSpace) {
            text.remove_suffix(kFullWidthSpace.size());
        } else {
            break;
        }
    }
    return text;
}

// Full-width spaces as spaces, runs of spaces as one, ends trimmed.
std::string collapseSpaces(std::string_view text)
{
    std::string out;
    bool space = false;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t start = pos;
        char32_t cp = decode(text, pos);
        if (cp == U' ' || cp == U'\u3000' || cp == U'\t') {
            space = !out.empty();
            continue;
        }
        if (space) {
            out += ' ';
            space = false;
        }
        out.append(text.substr(start, pos - start));
    }
    return out;
}

} // namespace

CopayRatio copayRatio(const ResultOfQualificationConfirmation& person,
                      std::string_view serviceDate)
{
    if (!person.insuredPartialContributionRatio.empty()) {
        return {ratioPercent(person.insuredPartialContributionRatio), CopaySource::LateElderly,
                "InsuredPartialContributionRatio"};
    }
    if (!person.elderlyRecipientContributionRatio.empty() && isDate(serviceDate)) {
        const auto& start = person.elderlyRecipientValidStartDate;
        const auto& end = person.elderlyRecipientValidEndDate;
        // YYYYMMDD strings of equal length compare like the dates they denote.
        const bool started = start.empty() || (isDate(start) && start <= serviceDate);
        const bool notEnded = end.empty() || (isDate(end) && serviceDate <= end);
        if (started && notEnded) {
            return {ratioPercent(person.elderlyRecipientContributionRatio), CopaySource::Elderly,
                    "ElderlyRecipientContributionRatio"};
        }
    }
    if (person.preschoolClassification == "1") {
        return {20, CopaySource::Preschool, "PreschoolClassification"};
    }
    return {30, CopaySource::Default, {}};
}

const char* copaySourceName(CopaySource source)
{
    switch (source) {
    case CopaySource::LateElderly:
        return "late_elderly";
    case CopaySource::Elderly:
        return "elderly";
    case CopaySource::Preschool:
        return "preschool";
    case CopaySource::Default:
        return "default";
    }
    return "default";
}

std::optional<std::string> normalisedInsurerNumber(std::string_view text)
{
    std::string digits;
    const std::string_view trimmed = trim(text);
    for (std::size_t pos = 0; pos < trimmed.size();) {
        char32_t cp = decode(trimmed, pos);
        if (cp >= U'0' && cp <= U'9') {
            digits += static_cast<char>(cp);
        } else if (cp >= U'０' && cp <= U'９') {
            digits += static_cast<char>('0' + (cp - U'０'));
        } else {
            return std::nullopt;
        }
    }
    if (digits.size() == 8 && digits.compare(0, 2, "00") == 0) {
        digits.erase(0, 2);
    }
    if (digits.size() == 6) {
        return "  " + digits;
    }
    if (digits.size() == 8) {
        return digits;
    }
    return std::nullopt;
}

bool sameInsurerNumber(std::string_view a, std::string_view b)
{
    auto left = normalisedInsurerNumber(a);
    auto right = normalisedInsurerNumber(b);
    return left && right && *left == *right;
}

std::string fullWidthKana(std::string_view utf8)
{
    std::string out;
    out.reserve(utf8.size());
    char32_t pending = 0; // a converted kana not yet written: a mark may still combine with it
    auto flush = [&] {
        if (pending != 0) {
            encode(pending, out);
            pending = 0;
        }
    };
    for (std::size_t pos = 0; pos < utf8.size();) {
        const std::size_t start = pos;
        char32_t cp = decode(utf8, pos);
        if (cp == 0xFF9E || cp == 0xFF9F) {
            char32_t combined = pending == 0 ? 0 : cp == 0xFF9E ? voiced(pending)
                                                                : semiVoiced(pending);
            if (combined != 0) {
                pending = 0;
                encode(combined, out);
            } else {
                flush();
                encode(cp == 0xFF9E ? U'゛' : U'゜', out);
            }
            continue;
        }
        flush();
        if (cp >= 0xFF61 && cp < 0xFF9E) {
            pending = kHalfToFull[cp - 0xFF61];
        } else if (cp == 0xFFFD && pos - start == 1) {
            out += utf8[start]; // a byte that is not UTF-8: copied, not replaced
        } else {
            out.append(utf8.substr(start, pos - start));
        }
    }
    flush();
    return out;
}

bool sameNameKana(std::string_view a, std::string_view b)
{
    return collapseSpaces(fullWidthKana(a)) == collapseSpaces(fullWidthKana(b));
}

namespace {

// The Hepburn initial of a full-width katakana (hiragana is mapped onto katakana first).
char kanaInitial(char32_t c)
{
    if (c >= U'ぁ' && c <= U'ゖ') {
        c += U'ァ' - U'ぁ';
    }
    struct Row {
        std::u32string_view kana;
        char letter;
    };
    static constexpr Row kRows[] = {
        {U"アァ", 'A'},         {U"イィ", 'I'},         {U"ウゥ", 'U'},
        {U"エェ", 'E'},         {U"オォヲ", 'O'},       {U"カキクケコヵヶ", 'K'},
        {U"ガギグゲゴ", 'G'},   {U"サシスセソ", 'S'},   {U"ザズゼゾヅ", 'Z'},
        {U"ジヂ", 'J'},         {U"タテトツ", 'T'},     {U"チ", 'C'},
        {U"ダデド", 'D'},       {U"ナニヌネノン", 'N'}, {U"ハヒヘホ", 'H'},
        {U"フ", 'F'},           {U"バビブベボ", 'B'},   {U"パピプペポ", 'P'},
        {U"マミムメモ", 'M'},   {U"ヤユヨャュョ", 'Y'}, {U"ラリルレロ", 'R'},
        {U"ワヮ", 'W'},         {U"ヴ", 'V'}};
    for (const Row& row : kRows) {
        if (row.kana.find(c) != std::u32string_view::npos) {
            return row.letter;
        }
    }
    return 0;
}

char latinInitial(char32_t c)
{
    if (c >= U'a' && c <= U'z') {
        return static_cast<char>(c - U'a' + 'A');
    }
    if (c >= U'A' && c <= U'Z') {
        return static_cast<char>(c);
    }
    if (c >= U'ａ' && c <= U'ｚ') {
        return static_cast<char>(c - U'ａ' + 'A');
    }
    if (c >= U'Ａ' && c <= U'Ｚ') {
        return static_cast<char>(c - U'Ａ' + 'A');
    }
    return 0;
}

// The first code point of each part of `text` split at ASCII and full-width spaces.
std::vector<char32_t> partStarts(std::string_view text)
{
    std::vector<char32_t> starts;
    bool inPart = false;
    for (char32_t c : utf8::decode(text)) {
        const bool space = c == U' ' || c == U'\t' || c == 0x3000;
        if (!space && !inPart) {
            starts.push_back(c);
        }
        inPart = !space;
    }
    return starts;
}

std::string initialsOf(const std::vector<char32_t>& starts, char (*initial)(char32_t))
{
    std::string out;
    for (char32_t c : starts) {
        const char letter = initial(c);
        if (letter == 0) {
            return {};
        }
        out += letter;
        out += '.';
    }
    return out;
}

} // namespace

std::string nameInitials(std::string_view nameKana, std::string_view name)
{
    std::string initials = initialsOf(partStarts(fullWidthKana(nameKana)), kanaInitial);
    if (initials.empty()) {
        initials = initialsOf(partStarts(name), latinInitial);
    }
    return initials;
}

std::string symbolNumberLine(const ResultOfQualificationConfirmation& person,
                             std::string_view separator)
{
    const std::string_view symbol = trim(person.insuredCardSymbol);
    const std::string_view number = trim(person.insuredIdentificationNumber);
    const std::string_view branch = trim(person.insuredBranchNumber);
    std::string line;
    if (!symbol.empty()) {
        line.append(symbol);
        if (!number.empty()) {
            line.append(separator);
        }
    }
    line.append(number);
    if (!branch.empty()) {
        line.append("（").append(branch).append("）");
    }
    return line;
}

} // namespace uketsuke::kiosk::model
