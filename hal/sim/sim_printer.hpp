#pragma once

// The simulated receipt printer ("sim:DIR" in the config; devices.md §1.9): a first-class peer
// of the ESC/POS printer. Each slip becomes two files in DIR:
//   <slip.id>.png  what an 80 mm thermal printer at 203 dpi would print: 576 dots wide, black
//                  and white only, text drawn by the one name renderer (hal/text) at 24, 48 and
//                  96 px for Normal, Large and Huge, lines wrapped to the paper, the QR code
//                  (ECC M, 6-dot modules) at the bottom;
//   <slip.id>.txt  the slip's text, UTF-8, one line per SlipLine, then "QR: <payload>".
// Each file is written to a temporary name, flushed and renamed, so a reader never sees half a
// slip; the PNG is renamed first, so an existing .txt means both are complete.
//
// A fault set with setFault() makes print() fail the way a real printer does (paper out, cover
// open, offline) without writing anything, for the demo and for tests of the failure screens.

#include "hal/printer.hpp"
#include "base/result.hpp"
#include "hal/text/text_renderer.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

namespace uketsuke::hal::sim {

// 72 mm printable width on 80 mm paper at 203 dpi (TM-T20, TM-m30; devices.md §1.1).
inline constexpr int kPaperWidthDots = 576;
inline constexpr int kNormalPixels = 24;
inline constexpr int kLargePixels = 48;
inline constexpr int kHugePixels = 96;
inline constexpr int kQrModuleDots = 6;

// A black-and-white raster as the print head would burn it: row-major, one byte per dot,
// 0 = black (ink), 255 = white (paper).
struct SlipRaster {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> gray;
    // Characters the font could not draw (see text::Bitmap::missingGlyphs).
    int missingGlyphs = 0;
};

// Lays a slip out as the simulated printer prints it. Thread: any (the renderer serialises).
// Errors: InvalidArgument (QR payload not printable ASCII or too long for a QR code), and the
// renderer's errors.
Result<SlipRaster> rasterizeSlip(const Slip& slip, const text::TextRenderer& renderer);

class SimPrinter final : public ReceiptPrinter {
public:
    // `target` is the config value "sim:DIR"; DIR is created if missing. The font is the one
    // the terminal draws names with.
    // Errors: ConfigInvalid (target not "sim:DIR"), StorageError (DIR cannot be created), and
    // the errors of text::TextRenderer::open.
    static Result<std::unique_ptr<SimPrinter>> open(std::string_view target,
                                                    const text::FontConfig& font = {});

    // Makes every later print() fail with `fault` (PrinterPaperOut, PrinterCoverOpen,
    // PrinterOffline, PrinterError, Timeout, ...) and status() report it, until cleared with
    // std::nullopt. Thread: any; does not wait for a print in progress.
    void setFault(std::optional<Errc> fault);

    const std::filesystem::path& directory() const { return m_directory; }

protected:
    // Writes <id>.png and <id>.txt. Blocks for the rendering and the two writes (a few ms).
    // Errors: the fault set with setFault(); InvalidArgument (id not file-name-safe: 1-64 of
    // A-Z a-z 0-9 . _ -, not starting with '.'); PrinterError (the files cannot be written).
    Result<void> doPrint(const Slip& slip) override;
    // PrinterPaperOut and PrinterCoverOpen are reported as status flags (offline); any other
    // fault fails the read with that code, as an unreachable printer does.
    Result<PrinterStatus> doStatus() override;

private:
    SimPrinter(std::filesystem::path directory, text::TextRenderer renderer);

    std::filesystem::path m_directory;
    text::TextRenderer m_renderer;
    mutable std::mutex m_mutex;
    std::optional<Errc> m_fault; // guarded by m_mutex
};

} // namespace uketsuke::hal::sim
