#pragma once

// The simulated printer's ESC/POS interpreter (devices §1.9, docs/printer.md): it proves the
// bytes, not the document. It consumes the byte stream a real printer would get, tracks the
// state a real printer tracks (kanji mode, code system, code page, sizes, emphasis,
// alignment, QR settings), answers DLE EOT n as the bytes arrive (real-time commands act even
// while the printer is offline) and GS r when processed, and turns each cut into a page: a
// canonical text dump and the blocks to render.
//
// Dump lines: text as `[center][2x2][bold]受付票` (tags only when not left / 1x1 / plain),
// an empty line as "", a raster image as `[center]IMG(224x35)`, a QR code as
// `[center]QR(M,6):payload`, a barcode as `BARCODE(73):data`, a cut as `CUT(partial)`, an
// unknown command as `?1B 99`. Text is decoded as CP932 (kanji) / katakana page / ASCII.
//
// Faults: while paper is out, the cover is open or the printer is offline, nothing but DLE
// EOT is processed (bytes wait, up to a limit), so GS r is not answered, as on a real printer.
// Thread: one owner (the simulator's connection thread).

#include "base/result.hpp"
#include "hal/escpos/encoder.hpp"
#include "hal/text/text_renderer.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace uketsuke::hal::sim {

// A black-and-white raster as the print head would burn it: row-major, one byte per dot,
// 0 = black (ink), 255 = white (paper).
struct SlipRaster {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> gray;
    // Characters the font could not draw (see text::Bitmap::missingGlyphs).
    int missingGlyphs = 0;
};

struct PrinterFaults {
    bool paperOut = false;
    bool nearEnd = false;
    bool coverOpen = false;
    bool offline = false;

    bool stopsPrinting() const { return paperOut || coverOpen || offline; }
};

struct TextBlock {
    std::string utf8;
    int width = 1; // GS ! magnification
    int height = 1;
    escpos::Align align = escpos::Align::Left;
    bool bold = false;
};
struct ImageBlock {
    escpos::Raster raster;
    escpos::Align align = escpos::Align::Left;
};
struct QrBlock {
    std::string payload;
    int moduleDots = 3;
    char ecc = 'L';
    escpos::Align align = escpos::Align::Left;
};
struct FeedBlock {
    int dots = 0;
};
using Block = std::variant<TextBlock, ImageBlock, QrBlock, FeedBlock>;

struct PrintedPage {
    std::vector<std::string> dump;
    std::vector<Block> blocks;
};

class EscposInterpreter {
public:
    // Bytes waiting while the printer is stopped, and the largest raster image kept.
    static constexpr std::size_t kMaxPending = std::size_t{1} << 20;
    static constexpr std::size_t kMaxBlocksPerPage = 4096;

    void setFaults(const PrinterFaults& faults) { m_faults = faults; }
    const PrinterFaults& faults() const { return m_faults; }

    // Takes bytes as they arrive; returns what the printer sends back (status replies).
    std::string feed(std::string_view bytes);

    // Pages finished by a cut since the last call.
    std::vector<PrintedPage> takePages();
    // The page being printed (not yet cut).
    const PrintedPage& currentPage() const { return m_page; }

    std::uint8_t statusReply(std::uint8_t n) const;

private:
    // Runs complete commands from m_pending; returns replies.
    std::string process();
    void endLine(bool force);
    void addBlock(Block block, std::string dumpLine);
    void decodeText(std::uint8_t b);
    void reset();
    std::string tags(escpos::Align align, int w, int h, bool bold) const;

    PrinterFaults m_faults;
    std::string m_pending;
    std::string m_recent; // the last two bytes, for DLE EOT split across reads
    std::size_t m_skip = 0;
    std::vector<PrintedPage> m_done;
    PrintedPage m_page;

    // Printer state (ESC @ resets it).
    escpos::Align m_align = escpos::Align::Left;
    int m_width = 1;
    int m_height = 1;
    bool m_bold = false;
    bool m_kanji = false;
    int m_codeSystem = 0; // 0 JIS, 1 Shift_JIS
    int m_codePage = 0;   // 1 = katakana
    int m_international = 0;
    int m_qrModule = 3;
    char m_qrEcc = 'L';
    std::string m_qrData;

    // The line being built.
    std::string m_line;
    bool m_lineStarted = false;
    escpos::Align m_lineAlign = escpos::Align::Left;
    int m_lineWidth = 1;
    int m_lineHeight = 1;
    bool m_lineBold = false;
    int m_lead = -1; // a pending kanji lead byte
};

// Draws a page the way an 80 mm / 58 mm thermal head burns it, `widthDots` wide: text by the
// one name renderer at 24 dots per magnification, images as sent, QR codes from the stored
// payload with libqrencode. Errors: the renderer's errors; InvalidArgument (a QR payload
// libqrencode cannot encode, or a page taller than 64k dots).
Result<SlipRaster> renderPage(const PrintedPage& page, int widthDots,
                              const text::TextRenderer& renderer);

// The raster as a 1-bit grayscale PNG (zlib); any non-zero gray is paper.
Result<std::string> encodePng(const SlipRaster& raster);

} // namespace uketsuke::hal::sim
