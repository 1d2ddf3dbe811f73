#include "hal/card.hpp"

#include "base/log.hpp"

#include <cstdio>
#include <string.h> // explicit_bzero

namespace uketsuke::hal {
namespace {

const log::Category kLog("hal.card");

std::string hexHeader(const Apdu& apdu)
{
    char text[32];
    std::snprintf(text, sizeof text, "%02X %02X %02X %02X", apdu.cla, apdu.ins, apdu.p1, apdu.p2);
    return text;
}

} // namespace

Bytes encodeApdu(const Apdu& apdu)
{
    Bytes out{apdu.cla, apdu.ins, apdu.p1, apdu.p2};
    if (!apdu.data.empty()) {
        out.push_back(static_cast<std::uint8_t>(apdu.data.size()));
        out.insert(out.end(), apdu.data.begin(), apdu.data.end());
    }
    if (apdu.le >= 0) {
        out.push_back(static_cast<std::uint8_t>(apdu.le & 0xff));
    }
    return out;
}

Result<ApduResponse> decodeResponse(std::span<const std::uint8_t> raw)
{
    if (raw.size() < 2) {
        return fail(Errc::CardMalformedReply, "response shorter than a status word");
    }
    ApduResponse response;
    response.data.assign(raw.begin(), raw.end() - 2);
    response.sw = static_cast<std::uint16_t>((raw[raw.size() - 2] << 8) | raw[raw.size() - 1]);
    return response;
}

Result<ApduResponse> CardChannel::transmit(Apdu apdu)
{
    if (apdu.data.size() > 255) {
        return fail(Errc::InvalidArgument, "short APDUs only");
    }
    Bytes raw = encodeApdu(apdu);
    if (apdu.sensitive) {
        UKETSUKE_LOG(kLog, Debug) << "> " << hexHeader(apdu) << " [redacted]";
    } else {
        UKETSUKE_LOG(kLog, Debug) << "> " << hexHeader(apdu) << " Lc=" << apdu.data.size()
                                  << " Le=" << apdu.le;
    }
    auto reply = doTransmit(raw);
    if (apdu.sensitive) {
        explicit_bzero(raw.data(), raw.size());
        explicit_bzero(apdu.data.data(), apdu.data.size());
    }
    if (!reply) {
        UKETSUKE_LOG(kLog, Info) << "transmit failed: " << errcName(reply.error().code) << " "
                                 << reply.error().message;
        return fail(std::move(reply).error());
    }
    auto response = decodeResponse(*reply);
    if (response) {
        char sw[8];
        std::snprintf(sw, sizeof sw, "%04X", response->sw);
        UKETSUKE_LOG(kLog, Debug) << "< " << response->data.size() << " bytes SW " << sw;
    }
    return response;
}

Result<Bytes> CardChannel::doVerifyPinOnReader(const PinPadVerify&)
{
    return fail(Errc::NotSupported, "the reader has no PIN pad");
}

Result<std::uint16_t> CardChannel::verifyPinOnReader(const PinPadVerify& request)
{
    if (!capabilities().securePinEntry) {
        return fail(Errc::NotSupported, "the reader has no PIN pad");
    }
    char header[32];
    std::snprintf(header, sizeof header, "%02X %02X %02X %02X", request.cla, request.ins,
                  request.p1, request.p2);
    UKETSUKE_LOG(kLog, Debug) << "> " << header << " [PIN on the reader's keypad]";
    auto reply = doVerifyPinOnReader(request);
    if (!reply) {
        UKETSUKE_LOG(kLog, Info) << "PIN pad verify failed: " << errcName(reply.error().code)
                                 << " " << reply.error().message;
        return fail(std::move(reply).error());
    }
    if (reply->size() < 2) {
        return fail(Errc::CardMalformedReply, "PIN pad reply shorter than a status word");
    }
    const auto sw = static_cast<std::uint16_t>((reply->at(reply->size() - 2) << 8) |
                                               reply->at(reply->size() - 1));
    char text[8];
    std::snprintf(text, sizeof text, "%04X", sw);
    UKETSUKE_LOG(kLog, Debug) << "< PIN pad SW " << text;
    // The reader's own answers (CCID, libccid commands.c): 64 00 timeout, 64 01 cancelled,
    // 64 02 the two new PINs differ (modify only), 64 03 too short or too long.
    switch (sw) {
    case 0x6400:
        return fail(Errc::Timeout, "no PIN typed on the reader in time", sw);
    case 0x6401:
        return fail(Errc::Cancelled, "PIN entry cancelled on the reader", sw);
    case 0x6402:
    case 0x6403:
        return fail(Errc::PinFormat, "PIN of the wrong length typed on the reader", sw);
    default:
        return sw;
    }
}

Result<ReaderChange> CardReader::waitForChange(CardPresence known, std::chrono::milliseconds timeout)
{
    return doWaitForChange(known, timeout);
}

Result<std::unique_ptr<CardChannel>> CardReader::connect()
{
    auto channel = doConnect();
    if (!channel) {
        UKETSUKE_LOG(kLog, Info) << "connect to " << name()
                                 << " failed: " << errcName(channel.error().code);
    }
    return channel;
}

} // namespace uketsuke::hal
