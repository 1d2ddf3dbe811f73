#include "kiosk/model/oqs_xml.hpp"

// Reading OQS XML: results and requests from hostile bytes (size limit, no DOCTYPE, the declared
// encoding checked), through the field layout of fields.hpp.

#include "base/log.hpp"
#include "kiosk/model/fields.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <mutex>
#include <set>

namespace uketsuke::kiosk::model {
namespace {

const log::Category kLog("kiosk.model");

constexpr std::size_t kMaxLoggedUnknown = 16;
std::once_flag g_xmlInit;


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

// Parses `bytes` as an XmlMsg: MessageHeader into `header`, MessageBody with `readBody(reader)`,
// which returns whether the body held what the message needs. Errors: as parseDocument, a
// reader's error, `missing` when the header or the body's content is not there, and a
// CharacterCodeIdentifier that disagrees with the declared encoding.
template <class ReadBody>
Result<void> readMessage(std::string_view bytes, const OqsXmlReadOptions& options,
                         MessageHeader& header, ReadBody&& readBody, const char* missing)
{
    auto parsed = parseDocument(bytes, options);
    if (!parsed) {
        return fail(std::move(parsed).error());
    }
    ReadContext context;
    bool headerSeen = false;
    bool bodyComplete = false;
    XmlReader root(xmlDocGetRootElement(parsed->doc.get()), "XmlMsg", context);
    root.group("MessageHeader", [&](auto& reader) {
        headerSeen = true;
        fields::visitHeader(header, reader);
    });
    root.group("MessageBody", [&](auto& reader) { bodyComplete = readBody(reader); });
    root.others();
    if (!context.error.empty()) {
        return fail(Errc::BadReply, context.error);
    }
    if (!headerSeen || !bodyComplete) {
        return fail(Errc::BadReply, missing);
    }
    if (auto checked = checkCharacterCode(header.characterCodeIdentifier, parsed->encoding);
        !checked) {
        return fail(std::move(checked).error());
    }
    logUnknown(context);
    return ok();
}

} // namespace

Result<QualificationResult> parseOqsResultXml(std::string_view bytes,
                                              const OqsXmlReadOptions& options)
{
    QualificationResult result;
    auto read = readMessage(
        bytes, options, result.header,
        [&result](XmlReader& body) {
            fields::visitBody(result.body, body);
            return true;
        },
        "XmlMsg lacks MessageHeader or MessageBody");
    if (!read) {
        return fail(std::move(read).error());
    }
    return result;
}

Result<QualificationRequest> parseOqsRequestXml(std::string_view bytes,
                                                const OqsXmlReadOptions& options)
{
    QualificationRequest request;
    auto read = readMessage(
        bytes, options, request.header,
        [&request](XmlReader& body) {
            bool search = false;
            body.group("QualificationConfirmSearchInfo", [&](auto& reader) {
                search = true;
                fields::visitSearchInfo(request.searchInfo, reader);
            });
            body.others();
            return search;
        },
        "XmlMsg lacks MessageHeader or MessageBody/QualificationConfirmSearchInfo");
    if (!read) {
        return fail(std::move(read).error());
    }
    return request;
}

} // namespace uketsuke::kiosk::model
