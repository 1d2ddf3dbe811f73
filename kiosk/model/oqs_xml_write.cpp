#include "kiosk/model/oqs_xml.hpp"

// Writing OQS XML: results and requests through the field layout of fields.hpp, escaped, in
// UTF-8 or Shift_JIS.

#include "base/log.hpp"
#include "base/utf8.hpp"
#include "kiosk/model/fields.hpp"

#include <libxml/tree.h>

namespace uketsuke::kiosk::model {
namespace {

const log::Category kLog("kiosk.model");

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
        const std::size_t length = utf8::sequenceLength(lead);
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

    // An element of elements; left out when it has none, unless `always` (what the reader
    // requires, e.g. a request's MessageHeader with every field empty).
    template <class F>
    void group(std::string_view name, F&& visit, bool always = false)
    {
        std::string inner;
        XmlWriter writer(inner, m_depth + 1);
        visit(writer);
        element(name, inner, m_depth, always);
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

} // namespace

Result<std::string> writeOqsResultXml(const QualificationResult& result, XmlEncoding encoding,
                                      std::size_t* substituted)
{
    MessageHeader header = result.header;
    header.characterCodeIdentifier = characterCode(encoding);
    std::string out = declaration(encoding);
    XmlWriter root(out, 0);
    root.group("XmlMsg", [&](XmlWriter& msg) {
        msg.group("MessageHeader", [&](XmlWriter& w) { fields::visitHeader(header, w); }, true);
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
        msg.group(
            "MessageHeader", [&](XmlWriter& w) { fields::visitHeader(request.header, w); }, true);
        msg.group("MessageBody", [&](XmlWriter& body) {
            std::string search;
            XmlWriter searchWriter(search, 3);
            fields::visitSearchInfo(request.searchInfo, searchWriter);
            body.element("QualificationConfirmSearchInfo", search, 2, true);
        });
    });
    return finish(std::move(out), encoding, substituted);
}

} // namespace uketsuke::kiosk::model
