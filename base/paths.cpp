#include "base/paths.hpp"

#include <filesystem>
#include <system_error>

namespace uketsuke {

std::string installedAssetsDir(const std::string& exe)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path bin = fs::path(exe).parent_path();
    if (bin.filename() != UKETSUKE_INSTALL_BINDIR) {
        return {};
    }
    const fs::path assets = bin.parent_path() / UKETSUKE_INSTALL_DATADIR / "uketsuke";
    if (!fs::is_directory(assets / "i18n", ec)) {
        return {};
    }
    return assets.string();
}

std::string defaultAssetsDir()
{
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        if (auto installed = installedAssetsDir(exe.string()); !installed.empty()) {
            return installed;
        }
    }
    return UKETSUKE_SOURCE_ASSETS;
}

} // namespace uketsuke
