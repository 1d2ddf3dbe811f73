#include "hal/escpos/slip_layout.hpp"

#include "base/line_break.hpp"
#include "base/utf8.hpp"

#include <algorithm>

namespace uketsuke::hal::escpos {
namespace {

int magnification(SlipLine::Size size)
{
    switch (size) {
    case SlipLine::Size::Large:
        return 2;
    case SlipLine::Size::Huge:
        return 4;
    case SlipLine::Size::Normal:
        break;
    }
    return 1;
}

bool printsAsText(std::string_view text, const LayoutConfig& config)
{
    auto bytes = encodeCp932(text);
    if (!bytes) {
        return false;
    }
    if (config.rasterExtendedKanji) {
        for (std::size_t i = 0; i < bytes->size(); ++i) {
            const auto b = static_cast<std::uint8_t>((*bytes)[i]);
            if (b >= 0x80 && !(b >= 0xA1 && b <= 0xDF)) {
                if (isExtendedLeadByte(b)) {
                    return false;
                }
                ++i; // the trail byte
            }
        }
    }
    return true;
}

} // namespace

Result<LayoutConfig> layoutForWidth(int widthDots)
{
    if (widthDots != kDots58mm && widthDots != kDots80mm180dpi && widthDots != kDots80mm) {
        return fail(Errc::ConfigInvalid, "printer width must be 384, 512 or 576 dots");
    }
    LayoutConfig config;
    config.widthDots = widthDots;
    config.qrModuleDots = widthDots == kDots58mm ? 5 : 6;
    return config;
}

int textDots(std::u32string_view text)
{
    int dots = 0;
    for (char32_t c : text) {
        dots += (c < 0x80 || (c >= 0xFF61 && c <= 0xFF9F)) ? kAnkDots : kKanjiDots;
    }
    return dots;
}

Result<std::string> encodeSlip(const Slip& slip, const LayoutConfig& config,
                               const text::TextRenderer& renderer)
{
    if (auto width = layoutForWidth(config.widthDots); !width) {
        return fail(std::move(width).error());
    }
    const bool printable = std::all_of(slip.qrPayload.begin(), slip.qrPayload.end(),
                                       [](char c) { return c >= 0x20 && c < 0x7F; });
    if (!printable || slip.qrPayload.size() > 512) {
        return fail(Errc::InvalidArgument, "QR payload must be short printable ASCII");
    }
    Encoder out;
    out.initialize();
    Align current = Align::Left;
    int currentSize = 1;
    for (const SlipLine& line : slip.lines) {
        const Align align = line.center ? Align::Center : Align::Left;
        if (align != current) {
            out.align(align);
            current = align;
        }
        if (line.text.empty()) {
            out.newline();
            continue;
        }
        const int mag = magnification(line.size);
        if (printsAsText(line.text, config)) {
            if (mag != currentSize) {
                out.size(mag, mag);
                currentSize = mag;
            }
            const std::u32string cps = utf8::decode(line.text);
            const auto spans = linebreak::breakParagraph(
                cps, config.widthDots, [&](std::size_t b, std::size_t e) {
                    return static_cast<double>(
                        textDots(std::u32string_view(cps).substr(b, e - b)) * mag);
                });
            for (const linebreak::Span& span : spans) {
                const std::string part =
                    utf8::encode(std::u32string_view(cps).substr(span.begin, span.end - span.begin));
                if (!out.text(part)) {
                    return fail(Errc::Internal, "CP932 line became unencodable");
                }
                out.newline();
            }
            continue;
        }
        // Raster: the name renderer at the size the printer's font would have.
        const int pixels = kKanjiDots * mag;
        auto wrapped = renderer.wrap(line.text, pixels, config.widthDots);
        if (!wrapped) {
            return fail(std::move(wrapped).error());
        }
        for (const std::string& part : *wrapped) {
            auto bitmap = renderer.render(part, pixels);
            if (!bitmap) {
                return fail(std::move(bitmap).error());
            }
            // Glyph overhang may pass the edge by a dot or two; the paper ends there.
            out.raster(toRaster(*bitmap, config.widthDots));
        }
    }
    if (currentSize != 1) {
        out.size(1, 1);
    }
    if (!slip.qrPayload.empty()) {
        if (current != Align::Center) {
            out.align(Align::Center);
        }
        out.qr(slip.qrPayload, config.qrModuleDots, QrEcc::M);
        out.newline();
    }
    out.cut();
    return out.take();
}

} // namespace uketsuke::hal::escpos
