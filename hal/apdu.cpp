#include "hal/apdu.hpp"

#include <algorithm>

namespace uketsuke::hal {
namespace {

constexpr std::size_t kMaxAidLength = 16;

} // namespace

Apdu selectAid(std::span<const std::uint8_t> aid)
{
    Apdu apdu;
    apdu.cla = 0x00;
    apdu.ins = 0xA4;
    apdu.p1 = 0x04; // select by DF name
    apdu.p2 = 0x0C; // no response data
    const auto size = std::min(aid.size(), kMaxAidLength);
    apdu.data.assign(aid.begin(), aid.begin() + static_cast<std::ptrdiff_t>(size));
    return apdu;
}

Apdu selectEf(std::uint16_t fid)
{
    Apdu apdu;
    apdu.cla = 0x00;
    apdu.ins = 0xA4;
    apdu.p1 = 0x02; // select EF under the current DF
    apdu.p2 = 0x0C;
    apdu.data = {static_cast<std::uint8_t>(fid >> 8), static_cast<std::uint8_t>(fid & 0xFF)};
    return apdu;
}

Apdu readBinary(std::uint16_t offset, std::size_t le)
{
    offset = std::min(offset, kMaxReadOffset);
    le = std::clamp<std::size_t>(le, 1, kMaxShortLe);
    Apdu apdu;
    apdu.cla = 0x00;
    apdu.ins = 0xB0;
    apdu.p1 = static_cast<std::uint8_t>((offset >> 8) & 0x7F);
    apdu.p2 = static_cast<std::uint8_t>(offset & 0xFF);
    apdu.le = le == kMaxShortLe ? 0 : static_cast<int>(le);
    return apdu;
}

Apdu verifyQuery()
{
    Apdu apdu;
    apdu.cla = 0x00;
    apdu.ins = 0x20;
    apdu.p1 = 0x00;
    apdu.p2 = 0x80; // the current PIN EF
    return apdu;
}

Apdu verify(const Pin& pin)
{
    Apdu apdu = verifyQuery();
    const auto digits = pin.digits();
    apdu.data.assign(digits.begin(), digits.end());
    apdu.sensitive = true;
    return apdu;
}

Apdu computeSignature(std::span<const std::uint8_t> input)
{
    Apdu apdu;
    apdu.cla = 0x80;
    apdu.ins = 0x2A;
    apdu.p1 = 0x00;
    apdu.p2 = 0x80; // the key EF selected last
    const auto size = std::min(input.size(), kMaxSignatureInput);
    apdu.data.assign(input.begin(), input.begin() + static_cast<std::ptrdiff_t>(size));
    apdu.le = 0; // 256 bytes
    return apdu;
}

Result<CommandApdu> parseCommandApdu(std::span<const std::uint8_t> raw)
{
    if (raw.size() < 4) {
        return fail(Errc::CardWrongLength, "command APDU shorter than its header");
    }
    CommandApdu command;
    command.cla = raw[0];
    command.ins = raw[1];
    command.p1 = raw[2];
    command.p2 = raw[3];
    const auto body = raw.subspan(4);
    if (body.empty()) {
        return command; // case 1
    }
    if (body.size() == 1) { // case 2 short
        command.hasLe = true;
        command.ne = body[0] == 0 ? 256 : body[0];
        return command;
    }
    if (body[0] != 0) { // short Lc
        const std::size_t lc = body[0];
        if (body.size() == 1 + lc) { // case 3 short
            command.data = body.subspan(1, lc);
            return command;
        }
        if (body.size() == 2 + lc) { // case 4 short
            command.data = body.subspan(1, lc);
            command.hasLe = true;
            command.ne = body[1 + lc] == 0 ? 256 : body[1 + lc];
            return command;
        }
        return fail(Errc::CardWrongLength, "Lc does not match the command length");
    }
    // Extended forms start with 00.
    command.extended = true;
    if (body.size() == 3) { // case 2 extended
        const std::size_t le = (std::size_t{body[1]} << 8) | body[2];
        command.hasLe = true;
        command.ne = le == 0 ? 65536 : le;
        return command;
    }
    if (body.size() < 3) {
        return fail(Errc::CardWrongLength, "truncated extended length");
    }
    const std::size_t lc = (std::size_t{body[1]} << 8) | body[2];
    if (lc == 0) {
        return fail(Errc::CardWrongLength, "extended Lc of zero");
    }
    if (body.size() == 3 + lc) { // case 3 extended
        command.data = body.subspan(3, lc);
        return command;
    }
    if (body.size() == 5 + lc) { // case 4 extended
        command.data = body.subspan(3, lc);
        const std::size_t le = (std::size_t{body[3 + lc]} << 8) | body[4 + lc];
        command.hasLe = true;
        command.ne = le == 0 ? 65536 : le;
        return command;
    }
    return fail(Errc::CardWrongLength, "extended Lc does not match the command length");
}

} // namespace uketsuke::hal
