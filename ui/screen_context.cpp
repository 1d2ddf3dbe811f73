#include "ui/screen_context.hpp"

namespace uketsuke::ui {

std::string ScreenContext::tr(std::string_view key) const
{
    if (shownKeys != nullptr) {
        shownKeys->emplace_back(key);
    }
    return strings != nullptr ? strings->tr(key) : "[" + std::string(key) + "]";
}

std::string ScreenContext::format(
    std::string_view key, const std::vector<std::pair<std::string, std::string>>& values) const
{
    if (shownKeys != nullptr) {
        shownKeys->emplace_back(key);
    }
    return strings != nullptr ? strings->format(key, values) : "[" + std::string(key) + "]";
}

std::string ScreenContext::lang() const
{
    return strings != nullptr ? strings->lang() : std::string();
}

} // namespace uketsuke::ui
