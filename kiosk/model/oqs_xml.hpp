#pragma once

// The OQS XML of the 資格確認端末 (docs/oqs-files.md, docs/protocol/eligibility.md §3):
// reading results and requests, writing them, and the file names of the req/res/face folders.
//
// Reading treats every file as hostile: libxml2 parses from memory with network access off and
// no entity substitution or DTD loading; any DOCTYPE (and so any entity declaration: billion
// laughs, external entities) is refused before it is processed; input over a size limit is
// refused unread. Elements are found by name, not position. A known element that appears twice
// is refused (never pick the first); unknown elements are kept in the model's otherElements and
// logged by name only. Encodings: UTF-8 and Shift_JIS (read and written as Windows code page
// 932, as the 資格確認端末 does); the declared encoding must agree with CharacterCodeIdentifier
// and with the deployment's setting when one is given.
//
// All functions are pure (no file I/O) and thread-safe. One job a file: oqs_xml_read.cpp,
// oqs_xml_write.cpp, oqs_encoding.cpp (names, declarations, Shift_JIS), oqs_file_names.cpp.

#include "base/result.hpp"
#include "kiosk/model/qualification.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace uketsuke::kiosk::model {

enum class XmlEncoding { Utf8, ShiftJis };

// "UTF-8", "Shift_JIS": the names written in XML declarations.
const char* encodingName(XmlEncoding encoding);
// Accepts the usual spellings, case-insensitive: UTF-8, UTF8, Shift_JIS, Shift-JIS, SJIS,
// Windows-31J, CP932, MS932. nullopt for anything else.
std::optional<XmlEncoding> encodingFromName(std::string_view name);
// OQSCD005: "0" UTF-8, "1" Shift_JIS.
std::optional<XmlEncoding> encodingFromCharacterCode(std::string_view code);
const char* characterCode(XmlEncoding encoding);

// Files larger than this are refused unread (a result is a few KiB).
inline constexpr std::size_t kMaxOqsXmlBytes = 1024 * 1024;

struct OqsXmlReadOptions {
    // The deployment's setting; a document declaring another encoding is refused.
    // nullopt accepts either.
    std::optional<XmlEncoding> expectedEncoding;
    std::size_t maxBytes = kMaxOqsXmlBytes;
};

// Reads an `XmlMsg` result (res or face file). Requires MessageHeader and MessageBody.
// Errors (all BadReply; the message names the problem and at most an element name, never a
// value): too large, DOCTYPE present, unsupported or mismatched encoding, bytes that are not
// the declared encoding, not well-formed, root not XmlMsg, duplicate known element, a known
// leaf holding elements, CharacterCodeIdentifier disagreeing with the declaration.
Result<QualificationResult> parseOqsResultXml(std::string_view bytes,
                                              const OqsXmlReadOptions& options = {});

// Reads an `OQSsiquc01req_` request: MessageHeader and MessageBody/
// QualificationConfirmSearchInfo. Errors as parseOqsResultXml.
Result<QualificationRequest> parseOqsRequestXml(std::string_view bytes,
                                                const OqsXmlReadOptions& options = {});

// The encoding a document declares; UTF-8 when it declares none (or starts with a UTF-8 BOM).
// Errors: BadReply (another encoding, a UTF-16/32 byte order mark, a broken declaration).
Result<XmlEncoding> declaredEncoding(std::string_view bytes);

// Writes a result, with CharacterCodeIdentifier set to match `encoding`, elements in OQS
// order, empty elements left out, unknown elements written back. Characters Shift_JIS cannot
// hold (𠮷) become 〓 (the conventional substitute; `substituted` counts them), characters XML
// cannot hold are dropped. Errors: Internal (no converter for Shift_JIS).
Result<std::string> writeOqsResultXml(const QualificationResult& result, XmlEncoding encoding,
                                      std::size_t* substituted = nullptr);

// Writes an `OQSsiquc01req_` request (docs/oqs-files.md). Errors as writeOqsResultXml.
Result<std::string> writeOqsRequestXml(const QualificationRequest& request,
                                       XmlEncoding encoding, std::size_t* substituted = nullptr);

// Shift_JIS (code page 932) to UTF-8. Errors: BadReply (bytes that are not Shift_JIS),
// Internal (no converter).
Result<std::string> shiftJisToUtf8(std::string_view bytes);
// UTF-8 to Shift_JIS (code page 932); what it cannot hold, or invalid UTF-8, becomes 〓.
// Errors: Internal (no converter).
Result<std::string> utf8ToShiftJis(std::string_view utf8, std::size_t* substituted = nullptr);

// File names (docs/oqs-files.md): `OQSsiquc01req_<id>.xml`, answered by
// `OQSsiquc01res_<id>.xml`.
inline constexpr std::string_view kSingleRequestPrefix = "OQSsiquc01req_";
inline constexpr std::string_view kSingleResultPrefix = "OQSsiquc01res_";
std::string singleRequestFileName(std::string_view id);
// True for `OQSsiquc01req_<1-64 of [0-9A-Za-z_-]>.xml`.
bool isSingleRequestFileName(std::string_view name);
// The answer's name for a request name ("…01req_…" → "…01res_…"); nullopt when `name` is not
// an OQS request name (`OQS` + 7 characters + `req_` + … + `.xml`).
std::optional<std::string> resultFileNameFor(std::string_view requestName);

} // namespace uketsuke::kiosk::model
