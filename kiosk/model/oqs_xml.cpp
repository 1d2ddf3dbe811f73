#include "kiosk/model/oqs_xml.hpp"

#include "base/log.hpp"
#include "kiosk/model/fields.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>

namespace uketsuke::kiosk::model {
namespace {

const log::Category kLog("kiosk.model");

// Code page 932 is what "Shift_JIS" means on the Windows 資格確認端末: plain JIS X 0208
// Shift_JIS lacks 髙, 﨑 and ①, and maps 0x8160 to a different tilde.
constexpr const char* kShiftJisCodeset = "CP932";
constexpr std::string_view kGetaShiftJis = "\x81\xAC"; // 〓 U+3013
constexpr std::size_t kMaxLoggedUnknown = 16;
// Unknown elements are kept this many levels deep at most (JSON allows twice as many, since a
// repeated name adds an array level there).
constexpr int kMaxOtherDepth = 16;

std::once_flag g_xmlInit;

// ---- encodings -------------------------------------------------------------------------------

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

// The length of the UTF-8 sequence starting with `lead` (1 for a stray byte).
std::size_t utf8Length(unsigned char lead)
{
    if (lead >= 0xF0 && lead <= 0xF4) {
        return 4;
    }
    if (lead >= 0xE0) {
        return lead <= 0xEF ? 3 : 1;
    }
    if (lead >= 0xC2) {
        return 2;
    }
    return 1;
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
                std::min(inLeft, utf8Length(static_cast<unsigned char>(*inPtr)));
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

// ---- XML text --------------------------------------------------------------------------------

bool isXmlChar(char32_t cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

// Escapes text content; drops what XML 1.0 cannot hold; invalid UTF-8 becomes U+FFFD.
void appendEscaped(std::string& out, std::string_view text)
{
    for (std::size_t pos = 0; pos < text.size();) {
        const auto lead = static_cast<unsigned char>(text[pos]);
        if (lead < 0x80) {
            ++pos;
            switch (lead) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '\r':
                out += "&#13;";
                break;
            default:
                if (isXmlChar(lead)) {
                    out += static_cast<char>(lead);
                }
            }
            continue;
        }
        const std::size_t length = utf8Length(lead);
        bool valid = length > 1 && pos + length <= text.size();
        char32_t cp = length == 2 ? lead & 0x1F : length == 3 ? lead & 0x0F : lead & 0x07;
        for (std::size_t i = 1; valid && i < length; ++i) {
            const auto next = static_cast<unsigned char>(text[pos + i]);
            valid = (next & 0xC0) == 0x80;
            cp = (cp << 6) | (next & 0x3F);
        }
        const char32_t minimum = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
        if (!valid || cp < minimum || !isXmlChar(cp)) {
            if (!valid || cp < minimum) {
                out += "\xEF\xBF\xBD"; // U+FFFD
            }
            pos += valid ? length : 1;
            continue;
        }
        out.append(text.substr(pos, length));
        pos += length;
    }
}

bool isValidName(const std::string& name)
{
    return !name.empty() && name.size() <= 256 &&
           xmlValidateNCName(reinterpret_cast<const xmlChar*>(name.c_str()), 0) == 0;
}

// Writes the model as indented XML through the field layout of fields.hpp.
class XmlWriter {
public:
    XmlWriter(std::string& out, int depth) : m_out(out), m_depth(depth) {}

    void text(std::string_view name, const std::string& value)
    {
        if (value.empty()) {
            return;
        }
        indent(m_depth);
        m_out.append("<").append(name).append(">");
        appendEscaped(m_out, value);
        m_out.append("</").append(name).append(">\n");
    }

    template <class F>
    void group(std::string_view name, F&& visit)
    {
        std::string inner;
        XmlWriter writer(inner, m_depth + 1);
        visit(writer);
        element(name, inner, m_depth);
    }

    template <class T, class F>
    void list(std::string_view name, std::string_view itemName, const std::vector<T>& items,
              F&& visit)
    {
        if (items.empty()) {
            return;
        }
        std::string inner;
        for (const auto& item : items) {
            std::string itemText;
            XmlWriter writer(itemText, m_depth + 2);
            visit(writer, item);
            XmlWriter(inner, m_depth + 1).element(itemName, itemText, m_depth + 1, true);
        }
        element(name, inner, m_depth);
    }

    void others(const std::vector<OtherElement>& elements)
    {
        for (const auto& item : elements) {
            writeOther(item, m_depth);
        }
    }
    void others() {}

    // <name>\n inner </name>\n; nothing when inner is empty unless `always`.
    void element(std::string_view name, const std::string& inner, int depth, bool always = false)
    {
        if (inner.empty() && !always) {
            return;
        }
        indent(depth);
        if (inner.empty()) {
            m_out.append("<").append(name).append("/>\n");
            return;
        }
        m_out.append("<").append(name).append(">\n").append(inner);
        indent(depth);
        m_out.append("</").append(name).append(">\n");
    }

private:
    void indent(int depth) { m_out.append(static_cast<std::size_t>(depth) * 2, ' '); }

    void writeOther(const OtherElement& other, int depth)
    {
        if (!isValidName(other.name)) {
            UKETSUKE_LOG(kLog, Warn) << "unknown element with an invalid XML name not written";
            return;
        }
        if (other.children.empty()) {
            indent(depth);
            m_out.append("<").append(other.name).append(">");
            appendEscaped(m_out, other.text);
            m_out.append("</").append(other.name).append(">\n");
            return;
        }
        std::string inner;
        XmlWriter writer(inner, depth + 1);
        for (const auto& child : other.children) {
            writer.writeOther(child, depth + 1);
        }
        element(other.name, inner, depth, true);
    }

    std::string& m_out;
    int m_depth;
};

std::string declaration(XmlEncoding encoding)
{
    return std::string("<?xml version=\"1.0\" encoding=\"") + encodingName(encoding) +
           "\" standalone=\"no\"?>\n";
}

Result<std::string> finish(std::string utf8, XmlEncoding encoding, std::size_t* substituted)
{
    if (substituted != nullptr) {
        *substituted = 0;
    }
    if (encoding == XmlEncoding::Utf8) {
        return utf8;
    }
    return utf8ToShiftJis(utf8, substituted);
}

// ---- reading ---------------------------------------------------------------------------------

struct XmlDocFree {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
struct XmlCtxtFree {
    void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;
using XmlCtxtPtr = std::unique_ptr<xmlParserCtxt, XmlCtxtFree>;

struct ParseState {
    bool doctype = false;
};

// SAX hook: the parser met <!DOCTYPE …>. Stop before any declaration in it is processed.
void onInternalSubset(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*)
{
    auto* ctxt = static_cast<xmlParserCtxt*>(ctx);
    static_cast<ParseState*>(ctxt->_private)->doctype = true;
    xmlStopParser(ctxt);
}

std::string nameOf(const xmlNode* node)
{
    return node->name != nullptr ? reinterpret_cast<const char*>(node->name) : std::string();
}

bool hasElementChildren(const xmlNode* node)
{
    for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
        if (child->type == XML_ELEMENT_NODE) {
            return true;
        }
    }
    return false;
}

std::string textOf(const xmlNode* node)
{
    xmlChar* content = xmlNodeGetContent(node);
    if (content == nullptr) {
        return {};
    }
    std::string text(reinterpret_cast<const char*>(content));
    xmlFree(content);
    return text;
}

// An unknown element with its children; false when it nests deeper than kMaxOtherDepth.
bool toOther(const xmlNode* node, int depth, OtherElement& element)
{
    if (depth > kMaxOtherDepth) {
        return false;
    }
    element.name = nameOf(node);
    if (!hasElementChildren(node)) {
        element.text = textOf(node);
        return true;
    }
    for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
        if (child->type == XML_ELEMENT_NODE &&
            !toOther(child, depth + 1, element.children.emplace_back())) {
            return false;
        }
    }
    return true;
}

struct ReadContext {
    std::string error; // the first error; reading stops there
    std::set<std::string> unknown;

    void noteUnknown(const std::string& where, const std::string& name)
    {
        if (unknown.size() >= kMaxLoggedUnknown) {
            return;
        }
        std::string printable;
        for (char c : (where + "/" + name).substr(0, 96)) {
            printable += (c >= 0x21 && c <= 0x7e) ? c : '?';
        }
        unknown.insert(printable);
    }
};

// Reads elements by name through the field layout of fields.hpp.
class XmlReader {
public:
    XmlReader(const xmlNode* element, std::string where, ReadContext& context)
        : m_where(std::move(where)), m_context(context)
    {
        for (const xmlNode* child = element->children; child != nullptr; child = child->next) {
            if (child->type == XML_ELEMENT_NODE) {
                m_children.push_back(child);
            }
        }
        m_taken.assign(m_children.size(), false);
    }

    void text(std::string_view name, std::string& member)
    {
        const xmlNode* node = take(name);
        if (node == nullptr) {
            return;
        }
        if (hasElementChildren(node)) {
            fail(std::string(name) + " holds elements where text is expected");
            return;
        }
        member = textOf(node);
    }

    template <class F>
    void group(std::string_view name, F&& visit)
    {
        const xmlNode* node = take(name);
        if (node == nullptr) {
            return;
        }
        XmlReader reader(node, m_where + "/" + std::string(name), m_context);
        visit(reader);
    }

    template <class T, class F>
    void list(std::string_view name, std::string_view itemName, std::vector<T>& items, F&& visit)
    {
        const xmlNode* node = take(name);
        if (node == nullptr) {
            return;
        }
        const std::string where = m_where + "/" + std::string(name);
        for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
            if (child->type != XML_ELEMENT_NODE || !m_context.error.empty()) {
                continue;
            }
            if (nameOf(child) != itemName) {
                m_context.noteUnknown(where, nameOf(child));
                continue;
            }
            T item{};
            XmlReader reader(child, where + "/" + std::string(itemName), m_context);
            visit(reader, item);
            items.push_back(std::move(item));
        }
    }

    void others(std::vector<OtherElement>& out)
    {
        for (std::size_t i = 0; i < m_children.size(); ++i) {
            if (!m_taken[i]) {
                m_context.noteUnknown(m_where, nameOf(m_children[i]));
                if (!toOther(m_children[i], 0, out.emplace_back())) {
                    fail(nameOf(m_children[i]) + " nests too deep");
                    return;
                }
            }
        }
    }

    void others()
    {
        for (std::size_t i = 0; i < m_children.size(); ++i) {
            if (!m_taken[i]) {
                m_context.noteUnknown(m_where, nameOf(m_children[i]) + " (dropped)");
            }
        }
    }

private:
    // The one child named `name`; nullptr when absent. Two are an error: never pick the first.
    const xmlNode* take(std::string_view name)
    {
        const xmlNode* found = nullptr;
        for (std::size_t i = 0; i < m_children.size(); ++i) {
            if (nameOf(m_children[i]) != name) {
                continue;
            }
            m_taken[i] = true;
            if (found != nullptr) {
                fail("duplicate element " + std::string(name));
                return nullptr;
            }
            found = m_children[i];
        }
        return m_context.error.empty() ? found : nullptr;
    }

    void fail(const std::string& problem)
    {
        if (m_context.error.empty()) {
            m_context.error = m_where + "/" + problem;
        }
    }

    std::string m_where;
    ReadContext& m_context;
    std::vector<const xmlNode*> m_children;
    std::vector<bool> m_taken;
};

struct Parsed {
    XmlDocPtr doc;
    XmlEncoding encoding = XmlEncoding::Utf8;
};

// Checks the size, refuses DOCTYPEs, decides the encoding, converts Shift_JIS to UTF-8 and
// parses with libxml2's network access, entity substitution and DTD loading off.
Result<Parsed> parseDocument(std::string_view bytes, const OqsXmlReadOptions& options)
{
    std::call_once(g_xmlInit, [] { xmlInitParser(); });
    if (bytes.empty()) {
        return fail(Errc::BadReply, "empty document");
    }
    const std::size_t limit = std::min<std::size_t>(options.maxBytes, INT_MAX / 2);
    if (bytes.size() > limit) {
        return fail(Errc::BadReply, "document of " + std::to_string(bytes.size()) +
                                        " bytes is over the limit of " + std::to_string(limit));
    }
    // A DOCTYPE is how entity bombs and external entities get in. OQS files never carry one;
    // refusing it here means no declaration is ever parsed. (The SAX hook below is the second
    // line, for spellings this scan cannot see.)
    if (bytes.find("<!DOCTYPE") != std::string_view::npos ||
        bytes.find("<!ENTITY") != std::string_view::npos) {
        return fail(Errc::BadReply, "DOCTYPE or ENTITY declarations are not allowed");
    }
    auto encoding = declaredEncoding(bytes);
    if (!encoding) {
        return fail(std::move(encoding).error());
    }
    if (options.expectedEncoding && *options.expectedEncoding != *encoding) {
        return fail(Errc::BadReply, std::string("document declares ") +
                                        encodingName(*encoding) + ", configured " +
                                        encodingName(*options.expectedEncoding));
    }
    std::string utf8;
    if (*encoding == XmlEncoding::ShiftJis) {
        auto converted = shiftJisToUtf8(bytes);
        if (!converted) {
            return fail(std::move(converted).error());
        }
        utf8 = std::move(*converted);
    } else {
        utf8.assign(bytes);
    }

    XmlCtxtPtr ctxt(xmlNewParserCtxt());
    if (!ctxt || ctxt->sax == nullptr) {
        return fail(Errc::Internal, "libxml2: no parser context");
    }
    ParseState state;
    ctxt->_private = &state;
    ctxt->sax->internalSubset = &onInternalSubset;
    // The bytes are UTF-8 now whatever the declaration says (IGNORE_ENC), and libxml2 checks
    // that they are. Deliberately absent: XML_PARSE_NOENT (entity substitution),
    // XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR, XML_PARSE_HUGE, XML_PARSE_XINCLUDE.
    const int flags = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                      XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC;
    XmlDocPtr doc(xmlCtxtReadMemory(ctxt.get(), utf8.data(), static_cast<int>(utf8.size()),
                                    nullptr, "UTF-8", flags));
    if (state.doctype) {
        return fail(Errc::BadReply, "DOCTYPE declarations are not allowed");
    }
    if (!doc || ctxt->wellFormed == 0) {
        const xmlError* error = xmlCtxtGetLastError(ctxt.get());
        // The code and line only: libxml2's message may quote the document.
        return fail(Errc::BadReply,
                    "not well-formed XML (libxml2 error " +
                        std::to_string(error != nullptr ? error->code : 0) + " at line " +
                        std::to_string(error != nullptr ? error->line : 0) + ")");
    }
    const xmlNode* root = xmlDocGetRootElement(doc.get());
    if (root == nullptr || nameOf(root) != "XmlMsg") {
        return fail(Errc::BadReply, "root element is not XmlMsg");
    }
    return Parsed{std::move(doc), *encoding};
}

Result<void> checkCharacterCode(const std::string& code, XmlEncoding declared)
{
    if (code.empty()) {
        return ok();
    }
    auto said = encodingFromCharacterCode(code);
    if (!said) {
        return fail(Errc::BadReply, "CharacterCodeIdentifier is not 0 or 1");
    }
    if (*said != declared) {
        return fail(Errc::BadReply, std::string("document declares ") + encodingName(declared) +
                                        " but CharacterCodeIdentifier says " +
                                        encodingName(*said));
    }
    return ok();
}

void logUnknown(const ReadContext& context)
{
    if (context.unknown.empty()) {
        return;
    }
    std::string names;
    for (const auto& name : context.unknown) {
        names += (names.empty() ? "" : ", ") + name;
    }
    UKETSUKE_LOG(kLog, Info) << "unknown OQS elements kept: " << names;
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

Result<QualificationResult> parseOqsResultXml(std::string_view bytes,
                                              const OqsXmlReadOptions& options)
{
    auto parsed = parseDocument(bytes, options);
    if (!parsed) {
        return fail(std::move(parsed).error());
    }
    ReadContext context;
    QualificationResult result;
    bool header = false;
    bool body = false;
    XmlReader root(xmlDocGetRootElement(parsed->doc.get()), "XmlMsg", context);
    root.group("MessageHeader", [&](auto& reader) {
        header = true;
        fields::visitHeader(result.header, reader);
    });
    root.group("MessageBody", [&](auto& reader) {
        body = true;
        fields::visitBody(result.body, reader);
    });
    root.others();
    if (!context.error.empty()) {
        return fail(Errc::BadReply, context.error);
    }
    if (!header || !body) {
        return fail(Errc::BadReply, "XmlMsg lacks MessageHeader or MessageBody");
    }
    if (auto checked = checkCharacterCode(result.header.characterCodeIdentifier,
                                          parsed->encoding);
        !checked) {
        return fail(std::move(checked).error());
    }
    logUnknown(context);
    return result;
}

Result<QualificationRequest> parseOqsRequestXml(std::string_view bytes,
                                                const OqsXmlReadOptions& options)
{
    auto parsed = parseDocument(bytes, options);
    if (!parsed) {
        return fail(std::move(parsed).error());
    }
    ReadContext context;
    QualificationRequest request;
    bool header = false;
    bool search = false;
    XmlReader root(xmlDocGetRootElement(parsed->doc.get()), "XmlMsg", context);
    root.group("MessageHeader", [&](auto& reader) {
        header = true;
        fields::visitHeader(request.header, reader);
    });
    root.group("MessageBody", [&](auto& body) {
        body.group("QualificationConfirmSearchInfo", [&](auto& reader) {
            search = true;
            fields::visitSearchInfo(request.searchInfo, reader);
        });
        body.others();
    });
    root.others();
    if (!context.error.empty()) {
        return fail(Errc::BadReply, context.error);
    }
    if (!header || !search) {
        return fail(Errc::BadReply,
                    "XmlMsg lacks MessageHeader or MessageBody/QualificationConfirmSearchInfo");
    }
    if (auto checked = checkCharacterCode(request.header.characterCodeIdentifier,
                                          parsed->encoding);
        !checked) {
        return fail(std::move(checked).error());
    }
    logUnknown(context);
    return request;
}

Result<std::string> writeOqsResultXml(const QualificationResult& result, XmlEncoding encoding,
                                      std::size_t* substituted)
{
    MessageHeader header = result.header;
    header.characterCodeIdentifier = characterCode(encoding);
    std::string out = declaration(encoding);
    XmlWriter root(out, 0);
    root.group("XmlMsg", [&](XmlWriter& msg) {
        msg.group("MessageHeader", [&](XmlWriter& w) { fields::visitHeader(header, w); });
        std::string body;
        XmlWriter bodyWriter(body, 2);
        fields::visitBody(result.body, bodyWriter);
        msg.element("MessageBody", body, 1, true);
    });
    return finish(std::move(out), encoding, substituted);
}

Result<std::string> writeOqsRequestXml(const QualificationRequest& request,
                                       XmlEncoding encoding, std::size_t* substituted)
{
    std::string out = declaration(encoding);
    XmlWriter root(out, 0);
    root.group("XmlMsg", [&](XmlWriter& msg) {
        msg.group("MessageHeader", [&](XmlWriter& w) { fields::visitHeader(request.header, w); });
        msg.group("MessageBody", [&](XmlWriter& body) {
            std::string search;
            XmlWriter searchWriter(search, 3);
            fields::visitSearchInfo(request.searchInfo, searchWriter);
            body.element("QualificationConfirmSearchInfo", search, 2, true);
        });
    });
    return finish(std::move(out), encoding, substituted);
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
