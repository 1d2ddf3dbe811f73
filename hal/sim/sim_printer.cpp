#include "hal/sim/sim_printer.hpp"

#include "base/files.hpp"
#include "base/log.hpp"

#include <qrencode.h>

// stb_image_write is C written for every compiler; keep its definitions private to this file
// (STB_IMAGE_WRITE_STATIC) and its style out of our warnings.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wnull-dereference"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wuseless-cast"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wshadow"
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>
#pragma GCC diagnostic pop

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace uketsuke::hal::sim {
namespace {

const log::Category kLog("hal.sim.printer");

constexpr int kSideMargin = 16;    // dots of paper left blank on each side of the text
constexpr int kTopFeed = 24;       // dots before the first line
constexpr int kQrGap = 24;         // dots between the last line and the QR code's quiet zone
constexpr int kQrQuietModules = 4; // the quiet zone the QR specification asks for
constexpr int kBottomFeed = 48;    // dots fed before the cut
// Coverage from which a dot is burnt. A little below half keeps thin strokes of 24 px kanji.
constexpr std::uint8_t kInkThreshold = 104;
constexpr std::size_t kMaxQrPayload = 256;

int pixelsFor(SlipLine::Size size)
{
    switch (size) {
    case SlipLine::Size::Normal:
        return kNormalPixels;
    case SlipLine::Size::Large:
        return kLargePixels;
    case SlipLine::Size::Huge:
        return kHugePixels;
    }
    return kNormalPixels;
}

bool isFileNameSafe(std::string_view id)
{
    if (id.empty() || id.size() > 64 || id.front() == '.') {
        return false;
    }
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

struct Placement {
    text::Bitmap bitmap;
    int x = 0;
    int y = 0;
};

struct QrDeleter {
    void operator()(QRcode* code) const { QRcode_free(code); }
};

Result<void> writeAll(int fd, const std::uint8_t* data, std::size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return fail(Errc::PrinterError, std::string("write: ") + std::strerror(errno), errno);
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return ok();
}

// Writes `bytes` to `temp` and flushes it to disk; the caller renames it into place.
Result<void> writeTemp(const std::filesystem::path& temp, const std::vector<std::uint8_t>& bytes)
{
    // A slip names the patient: 0600, whatever the umask or an older file's mode.
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                          files::kPrivateFileMode);
    if (fd < 0) {
        return fail(Errc::PrinterError, "open " + temp.string() + ": " + std::strerror(errno),
                    errno);
    }
    auto written = ::fchmod(fd, files::kPrivateFileMode) == 0
                       ? writeAll(fd, bytes.data(), bytes.size())
                       : Result<void>(fail(Errc::PrinterError,
                                           std::string("fchmod: ") + std::strerror(errno), errno));
    if (written && ::fsync(fd) != 0) {
        written = fail(Errc::PrinterError, std::string("fsync: ") + std::strerror(errno), errno);
    }
    if (::close(fd) != 0 && written) {
        written = fail(Errc::PrinterError, std::string("close: ") + std::strerror(errno), errno);
    }
    if (!written) {
        std::error_code ignored;
        std::filesystem::remove(temp, ignored);
    }
    return written;
}

void syncDirectory(const std::filesystem::path& directory)
{
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd); // best effort: the files themselves are already on disk
        ::close(fd);
    }
}

void appendPng(void* context, void* data, int size)
{
    auto* out = static_cast<std::vector<std::uint8_t>*>(context);
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    out->insert(out->end(), bytes, bytes + size);
}

} // namespace

Result<SlipRaster> rasterizeSlip(const Slip& slip, const text::TextRenderer& renderer)
{
    SlipRaster raster;
    raster.width = kPaperWidthDots;
    const int contentWidth = kPaperWidthDots - 2 * kSideMargin;

    std::vector<Placement> placements;
    int y = kTopFeed;
    auto place = [&](const std::string& part, int pixels, int x, bool center) -> Result<void> {
        auto bitmap = renderer.render(part, pixels);
        if (!bitmap) {
            return fail(std::move(bitmap).error());
        }
        Placement placement;
        placement.x = std::max(0, center ? (kPaperWidthDots - bitmap->width) / 2 : x);
        placement.y = y;
        y += bitmap->height;
        raster.missingGlyphs += bitmap->missingGlyphs;
        placement.bitmap = std::move(*bitmap);
        placements.push_back(std::move(placement));
        return ok();
    };
    for (const SlipLine& line : slip.lines) {
        const int pixels = pixelsFor(line.size);
        if (line.text.empty()) {
            // An empty line is a spacer of half a line.
            auto height = renderer.lineHeight(pixels);
            if (!height) {
                return fail(std::move(height).error());
            }
            y += *height / 2;
            continue;
        }
        // A list item ("・", "- ", "• ") continues under its text, not under its bullet.
        int indent = 0;
        std::string_view bullet;
        if (!line.center) {
            for (std::string_view prefix : {"・", "- ", "• "}) {
                if (std::string_view(line.text).substr(0, prefix.size()) == prefix) {
                    bullet = prefix;
                    break;
                }
            }
        }
        if (!bullet.empty()) {
            auto width = renderer.measure(bullet, pixels);
            if (!width) {
                return fail(std::move(width).error());
            }
            indent = std::min(*width, contentWidth / 4);
        }
        auto wrapped = renderer.wrap(std::string_view(line.text).substr(bullet.size()), pixels,
                                     contentWidth - indent);
        if (!wrapped) {
            return fail(std::move(wrapped).error());
        }
        for (std::size_t i = 0; i < wrapped->size(); ++i) {
            const std::string part = (i == 0 ? std::string(bullet) : std::string()) + (*wrapped)[i];
            const int x = kSideMargin + (i == 0 ? 0 : indent);
            if (auto placed = place(part, pixels, x, line.center); !placed) {
                return fail(std::move(placed).error());
            }
        }
    }

    std::unique_ptr<QRcode, QrDeleter> qr;
    int qrTop = 0;
    int qrDots = 0;
    if (!slip.qrPayload.empty()) {
        const bool printable = std::all_of(slip.qrPayload.begin(), slip.qrPayload.end(),
                                           [](char c) { return c >= 0x20 && c < 0x7F; });
        if (!printable || slip.qrPayload.size() > kMaxQrPayload) {
            return fail(Errc::InvalidArgument, "QR payload must be short printable ASCII");
        }
        qr.reset(QRcode_encodeString(slip.qrPayload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
        if (!qr) {
            return fail(Errc::InvalidArgument, "QR payload cannot be encoded");
        }
        qrDots = (qr->width + 2 * kQrQuietModules) * kQrModuleDots;
        qrTop = y + kQrGap;
        y = qrTop + qrDots;
    }
    raster.height = y + kBottomFeed;

    raster.gray.assign(
        static_cast<std::size_t>(raster.width) * static_cast<std::size_t>(raster.height), 255);
    auto burn = [&raster](int x, int yy) {
        if (x >= 0 && x < raster.width && yy >= 0 && yy < raster.height) {
            raster.gray[static_cast<std::size_t>(yy) * static_cast<std::size_t>(raster.width) +
                        static_cast<std::size_t>(x)] = 0;
        }
    };
    for (const Placement& p : placements) {
        for (int row = 0; row < p.bitmap.height; ++row) {
            for (int col = 0; col < p.bitmap.width; ++col) {
                if (p.bitmap.at(col, row) >= kInkThreshold) {
                    burn(p.x + col, p.y + row);
                }
            }
        }
    }
    if (qr) {
        const int left = (kPaperWidthDots - qrDots) / 2 + kQrQuietModules * kQrModuleDots;
        const int top = qrTop + kQrQuietModules * kQrModuleDots;
        for (int my = 0; my < qr->width; ++my) {
            for (int mx = 0; mx < qr->width; ++mx) {
                const unsigned char module =
                    qr->data[static_cast<std::size_t>(my) * static_cast<std::size_t>(qr->width) +
                             static_cast<std::size_t>(mx)];
                if ((module & 1u) == 0) {
                    continue;
                }
                for (int dy = 0; dy < kQrModuleDots; ++dy) {
                    for (int dx = 0; dx < kQrModuleDots; ++dx) {
                        burn(left + mx * kQrModuleDots + dx, top + my * kQrModuleDots + dy);
                    }
                }
            }
        }
    }
    return raster;
}

SimPrinter::SimPrinter(std::filesystem::path directory, text::TextRenderer renderer)
    : m_directory(std::move(directory)), m_renderer(std::move(renderer))
{
}

Result<std::unique_ptr<SimPrinter>> SimPrinter::open(std::string_view target,
                                                     const text::FontConfig& font)
{
    constexpr std::string_view kScheme = "sim:";
    if (target.substr(0, kScheme.size()) != kScheme || target.size() == kScheme.size()) {
        return fail(Errc::ConfigInvalid,
                    "printer: expected \"sim:DIR\", got '" + std::string(target) + "'");
    }
    std::filesystem::path directory(target.substr(kScheme.size()));
    // The slips folder is private (0700), also when it existed: slips hold patients' names.
    if (auto folder = files::ensurePrivateDir(directory); !folder) {
        return fail(Errc::StorageError, "printer: " + folder.error().message);
    }
    auto renderer = text::TextRenderer::open(font);
    if (!renderer) {
        return fail(std::move(renderer).error());
    }
    return std::unique_ptr<SimPrinter>(new SimPrinter(std::move(directory), std::move(*renderer)));
}

void SimPrinter::setFault(std::optional<Errc> fault)
{
    std::lock_guard lock(m_mutex);
    m_fault = fault;
}

Result<PrinterStatus> SimPrinter::doStatus()
{
    std::optional<Errc> fault;
    {
        std::lock_guard lock(m_mutex);
        fault = m_fault;
    }
    PrinterStatus status;
    if (!fault) {
        return status;
    }
    switch (*fault) {
    case Errc::PrinterPaperOut:
        status.online = false;
        status.paperOut = true;
        return status;
    case Errc::PrinterCoverOpen:
        status.online = false;
        status.coverOpen = true;
        return status;
    default:
        return fail(*fault, "simulated fault");
    }
}

Result<void> SimPrinter::doPrint(const Slip& slip)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_fault) {
            return fail(*m_fault, "simulated fault");
        }
    }
    if (!isFileNameSafe(slip.id)) {
        return fail(Errc::InvalidArgument, "slip id is not a safe file name");
    }
    auto raster = rasterizeSlip(slip, m_renderer);
    if (!raster) {
        return fail(std::move(raster).error());
    }
    if (raster->missingGlyphs > 0) {
        UKETSUKE_LOG(kLog, Warn) << "slip " << slip.id << ": " << raster->missingGlyphs
                                 << " characters without a glyph";
    }

    std::vector<std::uint8_t> png;
    if (stbi_write_png_to_func(appendPng, &png, raster->width, raster->height, 1,
                               raster->gray.data(), raster->width) == 0) {
        return fail(Errc::PrinterError, "PNG encoding failed");
    }
    std::string textFile;
    for (const SlipLine& line : slip.lines) {
        textFile += line.text;
        textFile += '\n';
    }
    if (!slip.qrPayload.empty()) {
        textFile += "QR: " + slip.qrPayload + "\n";
    }
    const std::vector<std::uint8_t> textBytes(textFile.begin(), textFile.end());

    const auto pngPath = m_directory / (slip.id + ".png");
    const auto txtPath = m_directory / (slip.id + ".txt");
    const auto pngTemp = m_directory / ("." + slip.id + ".png.tmp");
    const auto txtTemp = m_directory / ("." + slip.id + ".txt.tmp");
    if (auto written = writeTemp(pngTemp, png); !written) {
        return written;
    }
    if (auto written = writeTemp(txtTemp, textBytes); !written) {
        std::error_code ignored;
        std::filesystem::remove(pngTemp, ignored);
        return written;
    }
    std::error_code ec;
    std::filesystem::rename(pngTemp, pngPath, ec);
    if (!ec) {
        std::filesystem::rename(txtTemp, txtPath, ec);
    }
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(pngTemp, ignored);
        std::filesystem::remove(txtTemp, ignored);
        return fail(Errc::PrinterError, "rename: " + ec.message(), ec.value());
    }
    syncDirectory(m_directory);
    return ok();
}

} // namespace uketsuke::hal::sim
