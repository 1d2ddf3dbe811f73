// sim/vpcd_card (`uketsuke-sim card`): the vpcd framing against a fake vpcd listening on a
// loopback port chosen by the kernel. The same client behind the real pcscd + vpcd is tested
// in tests/hal/pcsc/ (test_hal_pcsc_integration).

#include "sim/vpcd_card.hpp"

#include "hal/apdu.hpp"
#include "hal/sim/virtual_card.hpp"
#include "tests/support/test_card.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <optional>
#include <thread>

namespace {

using namespace uketsuke;
using hal::Bytes;
using sim::VpcdCard;
using sim::VpcdCardOptions;

constexpr int kWaitMs = 10000; // a bound, never a delay: every wait ends on its event

// The pcscd side of vpcd in server mode: listens, accepts the card, frames messages.
class FakeVpcd {
public:
    FakeVpcd()
    {
        m_listen = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(m_listen >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(bind(m_listen, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        REQUIRE(listen(m_listen, 4) == 0);
        socklen_t length = sizeof address;
        REQUIRE(getsockname(m_listen, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        port = ntohs(address.sin_port);
    }
    ~FakeVpcd()
    {
        dropCard();
        close(m_listen);
    }

    // Waits for the card to connect ("insert").
    bool acceptCard()
    {
        pollfd fd{m_listen, POLLIN, 0};
        if (poll(&fd, 1, kWaitMs) != 1) {
            return false;
        }
        m_card = accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
        return m_card >= 0;
    }
    void dropCard()
    {
        if (m_card >= 0) {
            close(m_card);
            m_card = -1;
        }
    }

    void send(const Bytes& message)
    {
        Bytes frame{static_cast<std::uint8_t>(message.size() >> 8),
                    static_cast<std::uint8_t>(message.size() & 0xFF)};
        frame.insert(frame.end(), message.begin(), message.end());
        REQUIRE(::send(m_card, frame.data(), frame.size(), MSG_NOSIGNAL) ==
                static_cast<ssize_t>(frame.size()));
    }

    // One frame from the card; nullopt at EOF.
    std::optional<Bytes> receive()
    {
        std::uint8_t header[2];
        if (!readExact(header, 2)) {
            return std::nullopt;
        }
        Bytes body((std::size_t{header[0]} << 8) | header[1]);
        if (!body.empty() && !readExact(body.data(), body.size())) {
            return std::nullopt;
        }
        return body;
    }

    Bytes exchange(const Bytes& message)
    {
        send(message);
        auto reply = receive();
        REQUIRE(reply);
        return *reply;
    }

    int port = 0;

private:
    bool readExact(std::uint8_t* out, std::size_t size)
    {
        std::size_t done = 0;
        while (done < size) {
            pollfd fd{m_card, POLLIN, 0};
            if (poll(&fd, 1, kWaitMs) != 1) {
                return false;
            }
            ssize_t got = recv(m_card, out + done, size - done, 0);
            if (got <= 0) {
                return false;
            }
            done += static_cast<std::size_t>(got);
        }
        return true;
    }

    int m_listen = -1;
    int m_card = -1;
};

std::shared_ptr<hal::sim::VirtualCard> makeCard()
{
    auto card = hal::sim::VirtualCard::create(test::virtualCardConfig(test::defaultTestCard()));
    REQUIRE(card);
    return *card;
}

Bytes encode(const hal::Apdu& apdu)
{
    return hal::encodeApdu(apdu);
}

struct Running {
    std::unique_ptr<VpcdCard> card;
    std::future<Result<void>> result;
    Running(std::shared_ptr<hal::sim::VirtualCard> model, VpcdCardOptions options)
        : card(std::make_unique<VpcdCard>(std::move(model), std::move(options)))
    {
        result = std::async(std::launch::async, [this] { return card->run(); });
    }
    ~Running()
    {
        card->stop();
        result.wait();
    }
};

const Bytes kOk{0x90, 0x00};

TEST_CASE("VpcdCard: answers 04 with the ATR at any time, APDUs with data + SW")
{
    FakeVpcd vpcd;
    VpcdCardOptions options;
    options.port = static_cast<std::uint16_t>(vpcd.port);
    Running running(makeCard(), options);
    REQUIRE(vpcd.acceptCard());

    const Bytes atr(hal::jpki::kContactAtr.begin(), hal::jpki::kContactAtr.end());
    CHECK(vpcd.exchange({0x04}) == atr);
    vpcd.send({0x01}); // power on: no answer
    CHECK(vpcd.exchange(encode(hal::selectAid(hal::jpki::kJpkiAid))) == kOk);
    CHECK(vpcd.exchange({0x04}) == atr); // the presence poll between APDUs
    CHECK(vpcd.exchange(encode(hal::selectEf(hal::jpki::kEfAuthPin))) == kOk);
    CHECK(vpcd.exchange(encode(hal::verifyQuery())) == Bytes{0x63, 0xC3});
    // A foreign AID is never answered 90 00, and an unknown INS gets 6D 00: never empty.
    CHECK(vpcd.exchange({0x00, 0xA4, 0x04, 0x00, 0x06, 0xA0, 0x00, 0x00, 0x00, 0x01, 0x01}) ==
          Bytes{0x6A, 0x82});
    CHECK(vpcd.exchange({0x00, 0xCA, 0xDF, 0x30, 0x05}) == Bytes{0x6D, 0x00});
    CHECK(running.card->commands() == 5);
}

TEST_CASE("VpcdCard: power off and reset clear the verified PIN")
{
    FakeVpcd vpcd;
    VpcdCardOptions options;
    options.port = static_cast<std::uint16_t>(vpcd.port);
    Running running(makeCard(), options);
    REQUIRE(vpcd.acceptCard());
    const Bytes verify{0x00, 0x20, 0x00, 0x80, 0x04, '1', '2', '3', '4'};
    const Bytes digestInfo(51, 0x01);

    for (std::uint8_t control : {0x00, 0x02}) {
        CHECK(vpcd.exchange(encode(hal::selectAid(hal::jpki::kJpkiAid))) == kOk);
        CHECK(vpcd.exchange(encode(hal::selectEf(hal::jpki::kEfAuthPin))) == kOk);
        CHECK(vpcd.exchange(verify) == kOk);
        vpcd.send({control});
        // After power-off or reset nothing is selected nor verified: a signature is refused.
        CHECK(vpcd.exchange(encode(hal::selectAid(hal::jpki::kJpkiAid))) == kOk);
        CHECK(vpcd.exchange(encode(hal::selectEf(hal::jpki::kEfAuthKey))) == kOk);
        CHECK(vpcd.exchange(encode(hal::computeSignature(digestInfo))) == Bytes{0x69, 0x82});
    }
}

TEST_CASE("VpcdCard: connects again after vpcd closes the connection")
{
    FakeVpcd vpcd;
    VpcdCardOptions options;
    options.port = static_cast<std::uint16_t>(vpcd.port);
    options.atr.assign(sim::kContactlessAtr.begin(), sim::kContactlessAtr.end());
    Running running(makeCard(), options);
    REQUIRE(vpcd.acceptCard());
    CHECK(vpcd.exchange({0x04}) ==
          Bytes(sim::kContactlessAtr.begin(), sim::kContactlessAtr.end()));
    vpcd.dropCard(); // pcscd restarted
    REQUIRE(vpcd.acceptCard());
    CHECK(vpcd.exchange({0x04}).size() == sim::kContactlessAtr.size());
    CHECK(running.card->connections() == 2);
}

TEST_CASE("VpcdCard: --remove-after pulls the card at the next command and returns")
{
    FakeVpcd vpcd;
    VpcdCardOptions options;
    options.port = static_cast<std::uint16_t>(vpcd.port);
    options.removeAfter = 1;
    VpcdCard card(makeCard(), options);
    auto result = std::async(std::launch::async, [&card] { return card.run(); });
    REQUIRE(vpcd.acceptCard());
    CHECK(vpcd.exchange({0x04}).size() == hal::jpki::kContactAtr.size()); // 04 is not counted
    CHECK(vpcd.exchange(encode(hal::selectAid(hal::jpki::kJpkiAid))) == kOk);
    vpcd.send(encode(hal::selectEf(hal::jpki::kEfAuthCertificate)));
    CHECK_FALSE(vpcd.receive()); // closed without an answer
    REQUIRE(result.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    CHECK(result.get());
    CHECK(card.commands() == 1);
}

TEST_CASE("VpcdCard: waits for vpcd to listen, and stop() ends the wait")
{
    int port = 0;
    {
        FakeVpcd probe; // a port that nobody listens on once this closes
        port = probe.port;
    }
    VpcdCardOptions options;
    options.port = static_cast<std::uint16_t>(port);
    VpcdCard card(makeCard(), options);
    auto result = std::async(std::launch::async, [&card] { return card.run(); });
    CHECK(result.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout);
    card.stop();
    REQUIRE(result.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    CHECK(result.get());
    CHECK(card.connections() == 0);

    VpcdCardOptions bad;
    bad.host = "localhost"; // not an IPv4 address
    VpcdCard refused(makeCard(), bad);
    auto ran = refused.run();
    REQUIRE_FALSE(ran);
    CHECK(ran.error().code == Errc::InvalidArgument);
}

} // namespace
