#include "desk/answers.hpp"

namespace uketsuke::desk {

net::Response jsonAnswer(int status, const nlohmann::json& body)
{
    return net::Response::json(status, body.dump());
}

net::Response errorAnswer(int status, const std::string& code, const std::string& message)
{
    return jsonAnswer(status, {{"error", {{"code", code}, {"message", message}}}});
}

net::Response redirect(const std::string& location)
{
    net::Response response = net::Response::text(303, "");
    response.headers.emplace_back("Location", location);
    return response;
}

} // namespace uketsuke::desk
