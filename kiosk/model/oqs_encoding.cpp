#include "kiosk/model/oqs_xml.hpp"

// The encodings of OQS XML: their names, the declaration a document makes, and the conversion
// between UTF-8 and Shift_JIS (code page 932) with iconv.

#include "base/utf8.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <memory>

namespace uketsuke::kiosk::model {
namespace {

// Code page 932 is what "Shift_JIS" means on the Windows 資格確認端末: plain JIS X 0208
// Shift_JIS lacks 髙, 﨑 and ①, and maps 0x8160 to a different tilde.
constexpr const char* kShiftJisCodeset = "CP932";
constexpr std::string_view kGetaShiftJis = "\x81\xAC"; // 〓 U+3013

char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

struct IconvCloser {
    void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};
using IconvPtr = std::unique_ptr<void, IconvCloser>;

IconvPtr openIconv(const char* to, const char* from)
{
    iconv_t cd = iconv_open(to, from);
    if (cd == reinterpret_cast<iconv_t>(static_cast<std::intptr_t>(-1))) {
        return nullptr;
    }
    return IconvPtr(cd);
}


// Converts with iconv. `substitute`: on a sequence the target cannot hold (or invalid input),
// write `replacement` and skip one UTF-8 character; otherwise fail.
Result<std::string> convert(IconvPtr& cd, std::string_view input, bool substitute,
                            std::string_view replacement, std::size_t* substituted)
{
    std::string in(input);
    char* inPtr = in.data();
    std::size_t inLeft = in.size();
    std::string out(in.size() * 2 + 16, '\0');
    std::size_t used = 0;
    std::size_t count = 0;
    for (;;) {
        char* outPtr = out.data() + used;
        std::size_t outLeft = out.size() - used;
        std::size_t done = iconv(static_cast<iconv_t>(cd.get()), inLeft > 0 ? &inPtr : nullptr,
                                 &inLeft, &outPtr, &outLeft);
        used = static_cast<std::size_t>(outPtr - out.data());
        if (done != static_cast<std::size_t>(-1)) {
            if (inLeft == 0) {
                // Flush any shift state, then stop.
                outPtr = out.data() + used;
                outLeft = out.size() - used;
                if (iconv(static_cast<iconv_t>(cd.get()), nullptr, nullptr, &outPtr, &outLeft) ==
                    static_cast<std::size_t>(-1)) {
                    return fail(Errc::BadReply, "incomplete character at the end");
                }
                used = static_cast<std::size_t>(outPtr - out.data());
                break;
            }
            continue;
        }
        if (errno == E2BIG) {
            out.resize(out.size() * 2);
            continue;
        }
        if ((errno == EILSEQ || errno == EINVAL) && substitute) {
            const std::size_t skip =
                std::min(inLeft, utf8::sequenceLength(static_cast<unsigned char>(*inPtr)));
            inPtr += skip;
            inLeft -= skip;
            if (out.size() - used < replacement.size()) {
                out.resize(out.size() * 2 + replacement.size());
            }
            out.replace(used, replacement.size(), replacement);
            used += replacement.size();
            ++count;
            continue;
        }
        return fail(Errc::BadReply, "bytes that are not valid in the declared encoding at offset " +
                                        std::to_string(in.size() - inLeft));
    }
    out.resize(used);
    if (substituted != nullptr) {
        *substituted = count;
    }
    return out;
}

} // namespace

const char* encodingName(XmlEncoding encoding)
{
    return encoding == XmlEncoding::ShiftJis ? "Shift_JIS" : "UTF-8";
}

std::optional<XmlEncoding> encodingFromName(std::string_view name)
{
    for (std::string_view utf8 : {"UTF-8", "UTF8"}) {
        if (equalsIgnoreCase(name, utf8)) {
            return XmlEncoding::Utf8;
        }
    }
    for (std::string_view sjis :
         {"Shift_JIS", "Shift-JIS", "SJIS", "Windows-31J", "CP932", "MS932", "x-sjis"}) {
        if (equalsIgnoreCase(name, sjis)) {
            return XmlEncoding::ShiftJis;
        }
    }
    return std::nullopt;
}

std::optional<XmlEncoding> encodingFromCharacterCode(std::string_view code)
{
    if (code == "0") {
        return XmlEncoding::Utf8;
    }
    if (code == "1") {
        return XmlEncoding::ShiftJis;
    }
    return std::nullopt;
}

const char* characterCode(XmlEncoding encoding)
{
    return encoding == XmlEncoding::ShiftJis ? "1" : "0";
}

Result<XmlEncoding> declaredEncoding(std::string_view bytes)
{
    bool bom = false;
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
        bom = true;
        bytes.remove_prefix(3);
    } else if (bytes.substr(0, 2) == "\xFE\xFF" || bytes.substr(0, 2) == "\xFF\xFE" ||
               bytes.substr(0, 2) == std::string_view("\0\0", 2)) {
        return fail(Errc::BadReply, "UTF-16 and UTF-32 documents are not accepted");
    }
    if (bytes.substr(0, 5) != "<?xml" || bytes.size() < 6 ||
        (bytes[5] != ' ' && bytes[5] != '\t' && bytes[5] != '\r' && bytes[5] != '\n')) {
        return XmlEncoding::Utf8; // no declaration: UTF-8 by definition
    }
    const auto end = bytes.substr(0, 512).find("?>");
    if (end == std::string_view::npos) {
        return fail(Errc::BadReply, "XML declaration is not closed");
    }
    const std::string_view decl = bytes.substr(0, end);
    auto at = decl.find("encoding");
    if (at == std::string_view::npos) {
        return XmlEncoding::Utf8;
    }
    at += 8;
    while (at < decl.size() && (decl[at] == ' ' || decl[at] == '\t')) {
        ++at;
    }
    if (at >= decl.size() || decl[at] != '=') {
        return fail(Errc::BadReply, "XML declaration: broken encoding attribute");
    }
    ++at;
    while (at < decl.size() && (decl[at] == ' ' || decl[at] == '\t')) {
        ++at;
    }
    if (at >= decl.size() || (decl[at] != '"' && decl[at] != '\'')) {
        return fail(Errc::BadReply, "XML declaration: broken encoding attribute");
    }
    const char quote = decl[at];
    const auto close = decl.find(quote, at + 1);
    if (close == std::string_view::npos) {
        return fail(Errc::BadReply, "XML declaration: broken encoding attribute");
    }
    const std::string_view name = decl.substr(at + 1, close - at - 1);
    auto encoding = encodingFromName(name);
    if (!encoding) {
        std::string shown;
        for (char c : name.substr(0, 32)) {
            shown += (c >= 0x21 && c <= 0x7e) ? c : '?';
        }
        return fail(Errc::BadReply, "unsupported encoding '" + shown + "'");
    }
    if (bom && *encoding != XmlEncoding::Utf8) {
        return fail(Errc::BadReply, "UTF-8 byte order mark on a Shift_JIS document");
    }
    return *encoding;
}

Result<std::string> shiftJisToUtf8(std::string_view bytes)
{
    IconvPtr cd = openIconv("UTF-8", kShiftJisCodeset);
    if (!cd) {
        return fail(Errc::Internal, "no iconv converter from CP932");
    }
    auto converted = convert(cd, bytes, false, {}, nullptr);
    if (!converted) {
        Error error = std::move(converted).error();
        error.message = "not Shift_JIS: " + error.message;
        return fail(std::move(error));
    }
    return converted;
}

Result<std::string> utf8ToShiftJis(std::string_view utf8, std::size_t* substituted)
{
    IconvPtr cd = openIconv(kShiftJisCodeset, "UTF-8");
    if (!cd) {
        return fail(Errc::Internal, "no iconv converter to CP932");
    }
    return convert(cd, utf8, true, kGetaShiftJis, substituted);
}

} // namespace uketsuke::kiosk::model
