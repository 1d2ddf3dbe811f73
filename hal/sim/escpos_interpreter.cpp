#include "hal/sim/escpos_interpreter.hpp"

#include "base/utf8.hpp"

#include <qrencode.h>

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace uketsuke::hal::sim {
namespace {

constexpr std::uint8_t kEsc = 0x1B;
constexpr std::uint8_t kFs = 0x1C;
constexpr std::uint8_t kGs = 0x1D;
constexpr std::uint8_t kDle = 0x10;

constexpr int kLineDots = 30;     // default line spacing (1/6 inch at 180 dpi) per magnification
constexpr int kTextDots = 24;     // ANK 12x24, kanji 24x24
constexpr int kQrQuietModules = 4;
constexpr int kCutFeedDots = 48;
constexpr int kMaxPageDots = 65535;
constexpr std::uint8_t kInkThreshold = 104;

std::string hexByte(std::uint8_t b)
{
    char buf[4];
    std::snprintf(buf, sizeof buf, "%02X", b);
    return buf;
}

std::uint8_t at(const std::string& s, std::size_t i)
{
    return static_cast<std::uint8_t>(s[i]);
}

} // namespace

std::uint8_t EscposInterpreter::statusReply(std::uint8_t n) const
{
    std::uint8_t b = 0x12;
    switch (n) {
    case 1:
        b |= m_faults.stopsPrinting() ? 0x08 : 0x00;
        break;
    case 2:
        b |= m_faults.coverOpen ? 0x04 : 0x00;
        b |= m_faults.paperOut ? 0x20 : 0x00;
        break;
    case 4:
        b |= m_faults.nearEnd ? 0x0C : 0x00;
        b |= m_faults.paperOut ? 0x60 : 0x00;
        break;
    default:
        break;
    }
    return b;
}

std::string EscposInterpreter::feed(std::string_view bytes)
{
    std::string replies;
    // Real-time: DLE EOT is answered as it arrives, whatever the printer is doing.
    for (char c : bytes) {
        m_recent.push_back(c);
        if (m_recent.size() > 3) {
            m_recent.erase(0, m_recent.size() - 3);
        }
        if (m_recent.size() == 3 && at(m_recent, 0) == kDle && at(m_recent, 1) == 0x04) {
            const std::uint8_t n = at(m_recent, 2);
            if (n >= 1 && n <= 4) {
                replies.push_back(static_cast<char>(statusReply(n)));
            }
            m_recent.clear();
        }
    }
    const std::size_t room = kMaxPending - std::min(kMaxPending, m_pending.size());
    m_pending.append(bytes.substr(0, room));
    if (!m_faults.stopsPrinting()) {
        replies += process();
    }
    return replies;
}

std::vector<PrintedPage> EscposInterpreter::takePages()
{
    return std::exchange(m_done, {});
}

void EscposInterpreter::reset()
{
    m_align = escpos::Align::Left;
    m_width = 1;
    m_height = 1;
    m_bold = false;
    m_kanji = false;
    m_codeSystem = 0;
    m_codePage = 0;
    m_international = 0;
    m_qrModule = 3;
    m_qrEcc = 'L';
    m_qrData.clear();
    m_lead = -1;
}

std::string EscposInterpreter::tags(escpos::Align align, int w, int h, bool bold) const
{
    std::string out;
    if (align == escpos::Align::Center) {
        out += "[center]";
    } else if (align == escpos::Align::Right) {
        out += "[right]";
    }
    if (w != 1 || h != 1) {
        out += "[" + std::to_string(w) + "x" + std::to_string(h) + "]";
    }
    if (bold) {
        out += "[bold]";
    }
    return out;
}

void EscposInterpreter::addBlock(Block block, std::string dumpLine)
{
    if (m_page.blocks.size() >= kMaxBlocksPerPage) {
        return;
    }
    m_page.blocks.push_back(std::move(block));
    m_page.dump.push_back(std::move(dumpLine));
}

void EscposInterpreter::endLine(bool force)
{
    if (m_lead >= 0) {
        utf8::append(m_line, utf8::kReplacementCharacter);
        m_lead = -1;
    }
    if (!m_lineStarted && !force) {
        return;
    }
    TextBlock block{m_line, m_lineStarted ? m_lineWidth : m_width,
                    m_lineStarted ? m_lineHeight : m_height,
                    m_lineStarted ? m_lineAlign : m_align, m_lineStarted && m_lineBold};
    std::string dump = m_line.empty() ? std::string()
                                      : tags(block.align, block.width, block.height, block.bold) +
                                            m_line;
    addBlock(std::move(block), std::move(dump));
    m_line.clear();
    m_lineStarted = false;
}

void EscposInterpreter::decodeText(std::uint8_t b)
{
    if (!m_lineStarted) {
        m_lineStarted = true;
        m_lineAlign = m_align;
        m_lineWidth = m_width;
        m_lineHeight = m_height;
        m_lineBold = m_bold;
    }
    if (m_line.size() > 4096) {
        return;
    }
    if (m_lead >= 0) {
        std::string pair{static_cast<char>(m_lead), static_cast<char>(b)};
        if (m_codeSystem == 0) {
            // JIS row/cell to Shift_JIS.
            const int j1 = m_lead;
            const int j2 = b;
            const int s1 = ((j1 + 1) >> 1) + (j1 <= 0x5E ? 0x70 : 0xB0);
            const int s2 = j2 + ((j1 & 1) != 0 ? (j2 >= 0x60 ? 0x20 : 0x1F) : 0x7E);
            pair = {static_cast<char>(s1), static_cast<char>(s2)};
        }
        m_line += escpos::decodeCp932(pair);
        m_lead = -1;
        return;
    }
    if (m_kanji && m_codeSystem == 0 && b >= 0x21 && b <= 0x7E) {
        m_lead = b;
        return;
    }
    if (m_codeSystem == 1 && ((b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC))) {
        m_lead = b;
        return;
    }
    if (b < 0x80) {
        if (m_international == 8 && b == 0x5C) {
            m_line += "¥";
        } else {
            m_line.push_back(static_cast<char>(b));
        }
        return;
    }
    if (m_codePage == 1 && b >= 0xA1 && b <= 0xDF) {
        utf8::append(m_line, static_cast<char32_t>(0xFF61 + (b - 0xA1)));
        return;
    }
    utf8::append(m_line, utf8::kReplacementCharacter);
}

std::string EscposInterpreter::process()
{
    std::string replies;
    const std::string& p = m_pending;
    std::size_t i = 0;
    auto unknown = [&](std::size_t length) {
        std::string text = "?";
        for (std::size_t k = 0; k < length && i + k < p.size(); ++k) {
            text += (k == 0 ? "" : " ") + hexByte(at(p, i + k));
        }
        endLine(false);
        addBlock(FeedBlock{0}, text);
        i += length;
    };
    auto lengthAt = [&](std::size_t k) { return at(p, k) | (at(p, k + 1) << 8); };
    while (i < p.size() && !m_faults.stopsPrinting()) {
        if (m_skip > 0) {
            const std::size_t n = std::min(m_skip, p.size() - i);
            m_skip -= n;
            i += n;
            continue;
        }
        const std::size_t left = p.size() - i;
        const std::uint8_t b = at(p, i);
        if (b == 0x0A) {
            endLine(true);
            ++i;
            continue;
        }
        if (b == 0x0D || b == 0x00 || b == 0x11 || b == 0x13) {
            ++i;
            continue;
        }
        if (b == 0x09) {
            decodeText(' ');
            ++i;
            continue;
        }
        if (b != kEsc && b != kFs && b != kGs && b != kDle) {
            if (b < 0x20) {
                ++i; // other control characters print nothing
            } else {
                decodeText(b);
                ++i;
            }
            continue;
        }
        if (left < 2) {
            break;
        }
        const std::uint8_t c = at(p, i + 1);
        if (b == kDle) {
            if (c == 0x04 || c == 0x05) {
                if (left < 3) {
                    break;
                }
                i += 3; // DLE EOT was answered on arrival; DLE ENQ needs nothing here
            } else if (c == 0x14) {
                if (left < 5) {
                    break;
                }
                i += 5;
            } else {
                unknown(2);
            }
            continue;
        }
        if (b == kEsc) {
            switch (c) {
            case 0x40: // ESC @
                endLine(false);
                reset();
                i += 2;
                continue;
            case 0x21: case 0x45: case 0x47: case 0x2D: case 0x61: case 0x52: case 0x74:
            case 0x64: case 0x4A: case 0x33: case 0x4D: case 0x56: case 0x7B: case 0x20:
            case 0x3D: case 0x55: case 0x72: case 0x65: {
                if (left < 3) {
                    break;
                }
                const std::uint8_t n = at(p, i + 2);
                if (c == 0x21) {
                    m_bold = (n & 0x08) != 0;
                    m_width = (n & 0x20) != 0 ? 2 : 1;
                    m_height = (n & 0x10) != 0 ? 2 : 1;
                } else if (c == 0x45 || c == 0x47) {
                    m_bold = (n & 1) != 0;
                } else if (c == 0x61) {
                    const int a = n >= 48 ? n - 48 : n;
                    m_align = a == 1 ? escpos::Align::Center
                                     : (a == 2 ? escpos::Align::Right : escpos::Align::Left);
                } else if (c == 0x52) {
                    m_international = n;
                } else if (c == 0x74) {
                    m_codePage = n;
                } else if (c == 0x64) {
                    endLine(false);
                    for (int k = 0; k < n; ++k) {
                        endLine(true);
                    }
                } else if (c == 0x4A) {
                    endLine(false);
                    addBlock(FeedBlock{n}, "FEED(" + std::to_string(n) + ")");
                }
                i += 3;
                continue;
            }
            case 0x32: case 0x3C: case 0x69: case 0x6D:
                if (c == 0x69 || c == 0x6D) {
                    endLine(false);
                    addBlock(FeedBlock{kCutFeedDots}, c == 0x69 ? "CUT(full)" : "CUT(partial)");
                    m_done.push_back(std::exchange(m_page, {}));
                }
                i += 2;
                continue;
            case 0x24: case 0x5C:
                if (left < 4) {
                    break;
                }
                i += 4;
                continue;
            case 0x2A: { // ESC * m nL nH: bit image columns
                if (left < 5) {
                    break;
                }
                const std::uint8_t m = at(p, i + 2);
                const std::size_t cols = lengthAt(i + 3);
                endLine(false);
                addBlock(FeedBlock{0}, "IMG(esc*)");
                i += 5;
                m_skip = cols * (m >= 32 ? 3 : 1);
                continue;
            }
            default:
                unknown(2);
                continue;
            }
            break; // incomplete
        }
        if (b == kFs) {
            if (c == 0x26 || c == 0x2E) {
                m_kanji = c == 0x26;
                i += 2;
                continue;
            }
            if (c == 0x43 || c == 0x21 || c == 0x2D || c == 0x57) {
                if (left < 3) {
                    break;
                }
                if (c == 0x43) {
                    const std::uint8_t n = at(p, i + 2);
                    m_codeSystem = (n == 1 || n == 49) ? 1 : 0;
                }
                i += 3;
                continue;
            }
            if (c == 0x28) { // FS ( x pL pH ...
                if (left < 5) {
                    break;
                }
                const std::size_t n = lengthAt(i + 3);
                i += 5;
                m_skip = n;
                continue;
            }
            if (c == 0x53) {
                if (left < 4) {
                    break;
                }
                i += 4;
                continue;
            }
            unknown(2);
            continue;
        }
        // GS
        switch (c) {
        case 0x21: case 0x42: case 0x48: case 0x68: case 0x77: case 0x66: case 0x61:
        case 0x62: case 0x54: case 0x72: case 0x49: {
            if (left < 3) {
                break;
            }
            const std::uint8_t n = at(p, i + 2);
            if (c == 0x21) {
                m_width = std::clamp(((n >> 4) & 0x07) + 1, 1, 8);
                m_height = std::clamp((n & 0x07) + 1, 1, 8);
            } else if (c == 0x72) {
                // GS r: processed in order, so its reply says "everything before is done".
                std::uint8_t reply = 0;
                if (n == 1 || n == 49) {
                    reply = static_cast<std::uint8_t>((m_faults.nearEnd ? 0x03 : 0x00) |
                                                      (m_faults.paperOut ? 0x0C : 0x00));
                }
                replies.push_back(static_cast<char>(reply));
            } else if (c == 0x49) {
                replies.push_back(n == 0x43 || n == 0x42 ? '_' : '\x01');
                if (n == 0x42 || n == 0x43) {
                    replies += n == 0x42 ? "UKETSUKE" : "SIM-ESCPOS";
                    replies.push_back('\0');
                }
            }
            i += 3;
            continue;
        }
        case 0x4C: case 0x57: case 0x24: case 0x5C: case 0x50:
            if (left < 4) {
                break;
            }
            i += 4;
            continue;
        case 0x56: { // GS V m [n]
            if (left < 3) {
                break;
            }
            const std::uint8_t m = at(p, i + 2);
            const bool withFeed = m >= 65;
            if (withFeed && left < 4) {
                break;
            }
            endLine(false);
            const bool partial = (m & 1) != 0 || m == 66 || m == 98 || m == 104;
            const bool full = m == 65 || m == 97 || m == 103;
            addBlock(FeedBlock{kCutFeedDots}, full || !partial ? "CUT(full)" : "CUT(partial)");
            m_done.push_back(std::exchange(m_page, {}));
            i += withFeed ? 4 : 3;
            continue;
        }
        case 0x76: { // GS v 0 m xL xH yL yH d...
            if (left < 8) {
                break;
            }
            const std::size_t widthBytes = lengthAt(i + 4);
            const std::size_t height = lengthAt(i + 6);
            const std::size_t size = widthBytes * height;
            endLine(false);
            if (size > kMaxPending / 2 || widthBytes == 0 || height == 0) {
                addBlock(FeedBlock{0}, "IMG(skipped " + std::to_string(widthBytes * 8) + "x" +
                                           std::to_string(height) + ")");
                i += 8;
                m_skip = size;
                continue;
            }
            if (left < 8 + size) {
                break;
            }
            ImageBlock image;
            image.align = m_align;
            image.raster.width = static_cast<int>(widthBytes * 8);
            image.raster.height = static_cast<int>(height);
            image.raster.bits.assign(p.begin() + static_cast<std::ptrdiff_t>(i + 8),
                                     p.begin() + static_cast<std::ptrdiff_t>(i + 8 + size));
            const std::string dump = tags(m_align, 1, 1, false) + "IMG(" +
                                     std::to_string(image.raster.width) + "x" +
                                     std::to_string(height) + ")";
            addBlock(std::move(image), dump);
            i += 8 + size;
            continue;
        }
        case 0x28: { // GS ( x pL pH ...
            if (left < 5) {
                break;
            }
            const std::uint8_t fn = at(p, i + 2);
            const std::size_t n = lengthAt(i + 3);
            if (fn != 0x6B || n < 2) {
                i += 5;
                m_skip = n;
                continue;
            }
            if (left < 5 + n) {
                if (n > kMaxPending / 2) {
                    i += 5;
                    m_skip = n;
                    continue;
                }
                break;
            }
            const std::uint8_t cn = at(p, i + 5);
            const std::uint8_t qfn = at(p, i + 6);
            if (cn == 0x31) {
                if (qfn == 0x43 && n >= 3) {
                    m_qrModule = std::clamp<int>(at(p, i + 7), 1, 16);
                } else if (qfn == 0x45 && n >= 3) {
                    static constexpr char kEcc[] = {'L', 'M', 'Q', 'H'};
                    const int e = at(p, i + 7) - 48;
                    m_qrEcc = e >= 0 && e < 4 ? kEcc[e] : m_qrEcc;
                } else if (qfn == 0x50 && n >= 3) {
                    m_qrData = p.substr(i + 8, n - 3);
                } else if (qfn == 0x51) {
                    endLine(false);
                    const std::string dump = tags(m_align, 1, 1, false) + "QR(" + m_qrEcc + "," +
                                             std::to_string(m_qrModule) + "):" + m_qrData;
                    addBlock(QrBlock{m_qrData, m_qrModule, m_qrEcc, m_align}, dump);
                }
            }
            i += 5 + n;
            continue;
        }
        case 0x38: { // GS 8 L p1..p4 ...
            if (left < 7) {
                break;
            }
            const std::size_t n = lengthAt(i + 3) | (lengthAt(i + 5) << 16);
            endLine(false);
            addBlock(FeedBlock{0}, "IMG(graphics)");
            i += 7;
            m_skip = n;
            continue;
        }
        case 0x6B: { // GS k m ...
            if (left < 3) {
                break;
            }
            const std::uint8_t m = at(p, i + 2);
            std::size_t end = 0;
            std::size_t dataStart = 0;
            if (m <= 6) {
                const std::size_t nul = p.find('\0', i + 3);
                if (nul == std::string::npos) {
                    if (left > 4096) {
                        unknown(3);
                        continue;
                    }
                    break;
                }
                dataStart = i + 3;
                end = nul + 1;
            } else {
                if (left < 4) {
                    break;
                }
                dataStart = i + 4;
                end = dataStart + at(p, i + 3);
                if (end > p.size()) {
                    break;
                }
            }
            endLine(false);
            const std::size_t dataEnd = m <= 6 ? end - 1 : end;
            addBlock(FeedBlock{0}, "BARCODE(" + std::to_string(m) + "):" +
                                       p.substr(dataStart, dataEnd - dataStart));
            i = end;
            continue;
        }
        default:
            unknown(2);
            continue;
        }
        break; // incomplete command: wait for more bytes
    }
    m_pending.erase(0, std::min(i, m_pending.size()));
    return replies;
}

Result<SlipRaster> renderPage(const PrintedPage& page, int widthDots,
                              const text::TextRenderer& renderer)
{
    struct Placed {
        int x = 0;
        int y = 0;
        int w = 0;
        int h = 0;
        std::vector<std::uint8_t> ink; // w*h, 1 = black
    };
    std::vector<Placed> placed;
    int y = 0;
    auto xFor = [widthDots](escpos::Align align, int w) {
        if (align == escpos::Align::Center) {
            return std::max(0, (widthDots - w) / 2);
        }
        if (align == escpos::Align::Right) {
            return std::max(0, widthDots - w);
        }
        return 0;
    };
    int missing = 0;
    for (const Block& block : page.blocks) {
        if (y > kMaxPageDots) {
            return fail(Errc::InvalidArgument, "page too long to render");
        }
        if (const auto* t = std::get_if<TextBlock>(&block)) {
            const int lineDots = kLineDots * t->height;
            if (t->utf8.empty()) {
                y += lineDots;
                continue;
            }
            auto bitmap = renderer.render(t->utf8, kTextDots * t->height);
            if (!bitmap) {
                return fail(std::move(bitmap).error());
            }
            missing += bitmap->missingGlyphs;
            Placed p;
            // GS ! width and height differ: stretch horizontally.
            p.w = bitmap->width * t->width / t->height;
            p.h = bitmap->height;
            p.ink.assign(static_cast<std::size_t>(p.w) * static_cast<std::size_t>(p.h), 0);
            for (int yy = 0; yy < p.h; ++yy) {
                for (int xx = 0; xx < p.w; ++xx) {
                    const int sx = xx * t->height / t->width;
                    if (bitmap->at(sx, yy) >= kInkThreshold) {
                        p.ink[static_cast<std::size_t>(yy) * static_cast<std::size_t>(p.w) +
                              static_cast<std::size_t>(xx)] = 1;
                    }
                }
            }
            p.x = xFor(t->align, p.w);
            p.y = y + std::max(0, (lineDots - p.h) / 2);
            y += std::max(lineDots, p.h);
            placed.push_back(std::move(p));
        } else if (const auto* img = std::get_if<ImageBlock>(&block)) {
            Placed p;
            p.w = img->raster.width;
            p.h = img->raster.height;
            p.ink.assign(static_cast<std::size_t>(p.w) * static_cast<std::size_t>(p.h), 0);
            for (int yy = 0; yy < p.h; ++yy) {
                for (int xx = 0; xx < p.w; ++xx) {
                    p.ink[static_cast<std::size_t>(yy) * static_cast<std::size_t>(p.w) +
                          static_cast<std::size_t>(xx)] = img->raster.black(xx, yy) ? 1 : 0;
                }
            }
            p.x = xFor(img->align, p.w);
            p.y = y;
            y += p.h;
            placed.push_back(std::move(p));
        } else if (const auto* qr = std::get_if<QrBlock>(&block)) {
            if (qr->payload.empty()) {
                continue;
            }
            const QRecLevel level = qr->ecc == 'H'   ? QR_ECLEVEL_H
                                    : qr->ecc == 'Q' ? QR_ECLEVEL_Q
                                    : qr->ecc == 'M' ? QR_ECLEVEL_M
                                                     : QR_ECLEVEL_L;
            std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
                QRcode_encodeData(static_cast<int>(qr->payload.size()),
                                  reinterpret_cast<const unsigned char*>(qr->payload.data()), 0,
                                  level),
                QRcode_free);
            if (!code) {
                return fail(Errc::InvalidArgument, "QR payload cannot be encoded");
            }
            Placed p;
            const int m = qr->moduleDots;
            p.w = code->width * m;
            p.h = code->width * m;
            p.ink.assign(static_cast<std::size_t>(p.w) * static_cast<std::size_t>(p.h), 0);
            for (int my = 0; my < code->width; ++my) {
                for (int mx = 0; mx < code->width; ++mx) {
                    if ((code->data[my * code->width + mx] & 1) == 0) {
                        continue;
                    }
                    for (int dy = 0; dy < m; ++dy) {
                        for (int dx = 0; dx < m; ++dx) {
                            p.ink[static_cast<std::size_t>(my * m + dy) *
                                      static_cast<std::size_t>(p.w) +
                                  static_cast<std::size_t>(mx * m + dx)] = 1;
                        }
                    }
                }
            }
            y += kQrQuietModules * m;
            p.x = xFor(qr->align, p.w);
            p.y = y;
            y += p.h + kQrQuietModules * m;
            placed.push_back(std::move(p));
        } else if (const auto* f = std::get_if<FeedBlock>(&block)) {
            y += f->dots;
        }
    }
    SlipRaster raster;
    raster.width = widthDots;
    raster.height = std::max(1, y);
    raster.missingGlyphs = missing;
    if (raster.height > kMaxPageDots) {
        return fail(Errc::InvalidArgument, "page too long to render");
    }
    raster.gray.assign(static_cast<std::size_t>(raster.width) *
                           static_cast<std::size_t>(raster.height),
                       255);
    for (const Placed& p : placed) {
        for (int yy = 0; yy < p.h; ++yy) {
            for (int xx = 0; xx < p.w; ++xx) {
                const int X = p.x + xx;
                const int Y = p.y + yy;
                if (X < 0 || X >= raster.width || Y < 0 || Y >= raster.height ||
                    p.ink[static_cast<std::size_t>(yy) * static_cast<std::size_t>(p.w) +
                          static_cast<std::size_t>(xx)] == 0) {
                    continue; // the head is only so wide
                }
                raster.gray[static_cast<std::size_t>(Y) * static_cast<std::size_t>(raster.width) +
                            static_cast<std::size_t>(X)] = 0;
            }
        }
    }
    return raster;
}

namespace {

void appendBigEndian(std::string& out, std::uint32_t v)
{
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((v >> shift) & 0xFF));
    }
}

void appendChunk(std::string& png, const char* type, const std::string& data)
{
    appendBigEndian(png, static_cast<std::uint32_t>(data.size()));
    const std::string body = std::string(type, 4) + data;
    png += body;
    const uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(body.data()),
                            static_cast<uInt>(body.size()));
    appendBigEndian(png, static_cast<std::uint32_t>(crc));
}

} // namespace

Result<std::string> encodePng(const SlipRaster& raster)
{
    if (raster.width <= 0 || raster.height <= 0) {
        return fail(Errc::InvalidArgument, "empty raster");
    }
    // 1-bit grayscale (0 = black, 1 = white), filter 0 on every row: what the head burns,
    // and a fraction of the size and time of an 8-bit PNG.
    const std::size_t rowBytes = (static_cast<std::size_t>(raster.width) + 7) / 8;
    std::string rows((rowBytes + 1) * static_cast<std::size_t>(raster.height), '\0');
    for (int y = 0; y < raster.height; ++y) {
        char* row = rows.data() + (rowBytes + 1) * static_cast<std::size_t>(y) + 1;
        for (int x = 0; x < raster.width; ++x) {
            if (raster.gray[static_cast<std::size_t>(y) * static_cast<std::size_t>(raster.width) +
                            static_cast<std::size_t>(x)] != 0) {
                row[x / 8] = static_cast<char>(static_cast<unsigned char>(row[x / 8]) |
                                               (0x80u >> (x % 8)));
            }
        }
    }
    uLongf compressedSize = compressBound(static_cast<uLong>(rows.size()));
    std::string compressed(compressedSize, '\0');
    if (compress2(reinterpret_cast<Bytef*>(compressed.data()), &compressedSize,
                  reinterpret_cast<const Bytef*>(rows.data()), static_cast<uLong>(rows.size()),
                  6) != Z_OK) {
        return fail(Errc::Internal, "PNG compression failed");
    }
    compressed.resize(compressedSize);
    std::string header;
    appendBigEndian(header, static_cast<std::uint32_t>(raster.width));
    appendBigEndian(header, static_cast<std::uint32_t>(raster.height));
    header += std::string("\x01\x00\x00\x00\x00", 5); // depth 1, gray, deflate, no interlace
    std::string png("\x89PNG\r\n\x1a\n", 8);
    appendChunk(png, "IHDR", header);
    appendChunk(png, "IDAT", compressed);
    appendChunk(png, "IEND", {});
    return png;
}

} // namespace uketsuke::hal::sim
