#pragma once

// The live staff page (GET /) and the waiting-room display (GET /display) as HTML shells: the
// rows are filled by assets/desk/queue.js and display.js from the JSON API and the event stream
// (docs/programs/uketsuke-desk.md "The page"). The shells hold no personal data; the words of
// both languages travel in a JSON data block (not a script: the Content Security Policy allows
// scripts from the desk's own files only). Pure functions, thread: any.

#include "desk/auth.hpp"
#include "kiosk/model/strings.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace uketsuke::desk {

// The "desk.*" words of every language of `catalog`: {"ja": {...}, "en": {...}}.
nlohmann::json deskStrings(const kiosk::model::StringCatalog& catalog);

// `data` as the text of a <script type="application/json"> element: "<" is written \u003c, so
// no value can end the element.
std::string jsonForHtml(const nlohmann::json& data);

// The staff page. `config` is handed to the script as is (strings, options, the language);
// The session's CSRF token goes into <meta name="csrf-token">, its account and a log-out
// button into the header.
std::string renderQueuePage(const kiosk::model::StringTable& strings, const nlohmann::json& config,
                            const StaffSession& session);

// The waiting-room display: the numbers being called, large, no names.
std::string renderDisplayPage(const kiosk::model::StringTable& strings,
                              const nlohmann::json& config);

// The Content-Security-Policy of both pages: scripts, styles and connections from the desk
// itself only, no inline script, no frames.
const char* pageContentSecurityPolicy();

// The keys the live page and the display use; a test checks every string table has them.
std::vector<std::string> queuePageStringKeys();

} // namespace uketsuke::desk
