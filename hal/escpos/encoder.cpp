#include "hal/escpos/encoder.hpp"

#include "base/utf8.hpp"

#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <mutex>

namespace uketsuke::hal::escpos {
namespace {

constexpr std::uint8_t kEsc = 0x1B;
constexpr std::uint8_t kFs = 0x1C;
constexpr std::uint8_t kGs = 0x1D;
constexpr std::uint8_t kDle = 0x10;
constexpr std::uint8_t kEot = 0x04;

// One iconv descriptor per direction, opened once; iconv() is serialised by a mutex (the
// descriptors keep state).
struct Converter {
    explicit Converter(const char* to, const char* from) : cd(iconv_open(to, from)) {}
    ~Converter()
    {
        if (cd != reinterpret_cast<iconv_t>(-1)) {
            iconv_close(cd);
        }
    }
    Converter(const Converter&) = delete;
    Converter& operator=(const Converter&) = delete;
    iconv_t cd;
    std::mutex mutex;
};

Converter& toCp932Converter()
{
    static Converter converter("CP932", "UTF-32LE");
    return converter;
}

Converter& fromCp932Converter()
{
    static Converter converter("UTF-32LE", "CP932");
    return converter;
}

} // namespace

std::optional<std::string> toCp932(char32_t c)
{
    if (c < 0x80) {
        return std::string(1, static_cast<char>(c));
    }
    Converter& conv = toCp932Converter();
    if (conv.cd == reinterpret_cast<iconv_t>(-1)) {
        return std::nullopt;
    }
    std::array<char, 4> in = {static_cast<char>(c & 0xFF), static_cast<char>((c >> 8) & 0xFF),
                              static_cast<char>((c >> 16) & 0xFF),
                              static_cast<char>((c >> 24) & 0xFF)};
    std::array<char, 8> out{};
    char* inPtr = in.data();
    char* outPtr = out.data();
    std::size_t inLeft = in.size();
    std::size_t outLeft = out.size();
    std::lock_guard lock(conv.mutex);
    iconv(conv.cd, nullptr, nullptr, nullptr, nullptr);
    if (iconv(conv.cd, &inPtr, &inLeft, &outPtr, &outLeft) == static_cast<std::size_t>(-1)) {
        return std::nullopt;
    }
    return std::string(out.data(), static_cast<std::size_t>(outPtr - out.data()));
}

std::optional<std::string> encodeCp932(std::string_view utf8)
{
    std::string out;
    for (char32_t c : utf8::decode(utf8)) {
        if (c == utf8::kReplacementCharacter) {
            return std::nullopt;
        }
        auto bytes = toCp932(c);
        if (!bytes) {
            return std::nullopt;
        }
        out += *bytes;
    }
    return out;
}

std::string decodeCp932(std::string_view cp932)
{
    Converter& conv = fromCp932Converter();
    std::string out;
    std::size_t i = 0;
    while (i < cp932.size()) {
        const auto b = static_cast<std::uint8_t>(cp932[i]);
        const bool lead = (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC);
        const std::size_t len = lead && i + 1 < cp932.size() ? 2 : 1;
        if (b < 0x80) {
            out.push_back(static_cast<char>(b));
            ++i;
            continue;
        }
        std::array<char, 2> in = {cp932[i], len == 2 ? cp932[i + 1] : '\0'};
        std::array<char, 8> buf{};
        char* inPtr = in.data();
        char* outPtr = buf.data();
        std::size_t inLeft = len;
        std::size_t outLeft = buf.size();
        bool ok = false;
        {
            std::lock_guard lock(conv.mutex);
            iconv(conv.cd, nullptr, nullptr, nullptr, nullptr);
            ok = conv.cd != reinterpret_cast<iconv_t>(-1) &&
                 iconv(conv.cd, &inPtr, &inLeft, &outPtr, &outLeft) !=
                     static_cast<std::size_t>(-1) &&
                 outPtr - buf.data() == 4;
        }
        char32_t c = utf8::kReplacementCharacter;
        if (ok) {
            c = static_cast<char32_t>(static_cast<std::uint8_t>(buf[0])) |
                (static_cast<char32_t>(static_cast<std::uint8_t>(buf[1])) << 8) |
                (static_cast<char32_t>(static_cast<std::uint8_t>(buf[2])) << 16);
        }
        utf8::append(out, c);
        i += len;
    }
    return out;
}

bool isExtendedLeadByte(std::uint8_t b)
{
    return b == 0x87 || b == 0xED || b == 0xEE || (b >= 0xFA && b <= 0xFC);
}

Raster toRaster(const text::Bitmap& bitmap, int maxWidth)
{
    Raster r;
    r.width = std::min(bitmap.width, maxWidth);
    r.height = bitmap.height;
    r.bits.assign(static_cast<std::size_t>(r.bytesPerRow()) * static_cast<std::size_t>(r.height),
                  0);
    for (int y = 0; y < r.height; ++y) {
        for (int x = 0; x < r.width; ++x) {
            if (bitmap.at(x, y) >= 128) {
                r.bits[static_cast<std::size_t>(y) * static_cast<std::size_t>(r.bytesPerRow()) +
                       static_cast<std::size_t>(x / 8)] |= static_cast<std::uint8_t>(0x80u >> (x % 8));
            }
        }
    }
    return r;
}

Encoder& Encoder::put(std::initializer_list<std::uint8_t> bytes)
{
    for (std::uint8_t b : bytes) {
        m_bytes.push_back(static_cast<char>(b));
    }
    return *this;
}

Encoder& Encoder::initialize()
{
    return put({kEsc, 0x40, kEsc, 0x52, 0x08, kEsc, 0x74, 0x01, kFs, 0x43, 0x01, kFs, 0x26});
}

Encoder& Encoder::align(Align align)
{
    return put({kEsc, 0x61, static_cast<std::uint8_t>(align)});
}

Encoder& Encoder::size(int width, int height)
{
    width = std::clamp(width, 1, 8);
    height = std::clamp(height, 1, 8);
    return put({kGs, 0x21, static_cast<std::uint8_t>(((width - 1) << 4) | (height - 1))});
}

Encoder& Encoder::emphasis(bool on)
{
    return put({kEsc, 0x45, static_cast<std::uint8_t>(on ? 1 : 0)});
}

bool Encoder::text(std::string_view utf8Text)
{
    auto bytes = encodeCp932(utf8Text);
    if (!bytes) {
        return false;
    }
    m_bytes += *bytes;
    return true;
}

Encoder& Encoder::newline()
{
    return put({0x0A});
}

Encoder& Encoder::raster(const Raster& image)
{
    const int widthBytes = std::min(image.bytesPerRow(), 0xFFFF);
    const int height = std::min(image.height, 0xFFFF);
    if (widthBytes == 0 || height == 0) {
        return *this;
    }
    put({kGs, 0x76, 0x30, 0x00, static_cast<std::uint8_t>(widthBytes & 0xFF),
         static_cast<std::uint8_t>(widthBytes >> 8), static_cast<std::uint8_t>(height & 0xFF),
         static_cast<std::uint8_t>(height >> 8)});
    for (int y = 0; y < height; ++y) {
        const auto* row = image.bits.data() +
                          static_cast<std::size_t>(y) * static_cast<std::size_t>(image.bytesPerRow());
        m_bytes.append(reinterpret_cast<const char*>(row), static_cast<std::size_t>(widthBytes));
    }
    return *this;
}

Encoder& Encoder::qr(std::string_view payload, int moduleDots, QrEcc ecc)
{
    const std::size_t stored = std::min<std::size_t>(payload.size(), 7089);
    const std::size_t length = stored + 3;
    put({kGs, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00});
    put({kGs, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43,
         static_cast<std::uint8_t>(std::clamp(moduleDots, 1, 16))});
    put({kGs, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, static_cast<std::uint8_t>(ecc)});
    put({kGs, 0x28, 0x6B, static_cast<std::uint8_t>(length & 0xFF),
         static_cast<std::uint8_t>(length >> 8), 0x31, 0x50, 0x30});
    m_bytes.append(payload.substr(0, stored));
    return put({kGs, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30});
}

Encoder& Encoder::cut()
{
    return put({kGs, 0x56, 0x42, 0x00});
}

Encoder& Encoder::statusRequest(std::uint8_t n)
{
    return put({kDle, kEot, n});
}

} // namespace uketsuke::hal::escpos
