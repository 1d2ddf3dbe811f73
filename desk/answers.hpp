#pragma once

// The answers every desk route gives the same way (docs/protocol/desk.md "Errors"). Pure; any
// thread.

#include "net/server.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace uketsuke::desk {

// `body` as application/json with `status`.
net::Response jsonAnswer(int status, const nlohmann::json& body);
// The API's error body: {"error": {"code": CODE, "message": MESSAGE}}.
net::Response errorAnswer(int status, const std::string& code, const std::string& message);
// 303 See Other to `location`, no body.
net::Response redirect(const std::string& location);

} // namespace uketsuke::desk
