#include <catch2/catch.hpp>

#include "hal/pcsc/pcsc_errors.hpp"

#include <winscard.h>

#include <set>

namespace {

using namespace uketsuke;
using hal::pcsc::lookupPcscCode;
using hal::pcsc::pcscCodes;
using hal::pcsc::pcscError;

TEST_CASE("pcscCodes: one row per value, covering every code of pcsclite.h")
{
    std::set<std::int64_t> values;
    for (const auto& row : pcscCodes()) {
        INFO(row.name);
        CHECK(values.insert(row.value).second);
        CHECK(lookupPcscCode(row.value).name == row.name);
    }
    // Debian 12's pcsclite.h defines 60 distinct values (SCARD_E_UNEXPECTED and
    // SCARD_E_UNSUPPORTED_FEATURE share 0x8010001F).
    CHECK(values.size() == 60);
    for (LONG rv : {SCARD_S_SUCCESS, SCARD_E_UNEXPECTED, SCARD_W_CARD_NOT_AUTHENTICATED,
                    SCARD_E_SERVER_TOO_BUSY, SCARD_E_ICC_CREATEORDER}) {
        CHECK(values.count(rv) == 1);
    }
}

TEST_CASE("lookupPcscCode: what the flow must tell apart")
{
    CHECK(lookupPcscCode(SCARD_W_REMOVED_CARD).code == Errc::CardRemoved);
    CHECK(lookupPcscCode(SCARD_W_RESET_CARD).code == Errc::CardRemoved);
    CHECK(lookupPcscCode(SCARD_E_NO_SMARTCARD).code == Errc::NoCard);
    CHECK(lookupPcscCode(SCARD_E_READER_UNAVAILABLE).code == Errc::ReaderRemoved);
    CHECK(lookupPcscCode(SCARD_E_UNKNOWN_READER).code == Errc::ReaderNotFound);
    CHECK(lookupPcscCode(SCARD_E_NO_READERS_AVAILABLE).code == Errc::ReaderNotFound);
    CHECK(lookupPcscCode(SCARD_E_NO_SERVICE).code == Errc::ReaderServiceDown);
    CHECK(lookupPcscCode(SCARD_E_SERVICE_STOPPED).code == Errc::ReaderServiceDown);
    CHECK(lookupPcscCode(SCARD_E_INVALID_HANDLE).code == Errc::ReaderServiceDown);
    CHECK(lookupPcscCode(SCARD_E_SHARING_VIOLATION).code == Errc::ReaderBusy);
    CHECK(lookupPcscCode(SCARD_E_TIMEOUT).code == Errc::Timeout);
    CHECK(lookupPcscCode(SCARD_E_CANCELLED).code == Errc::Cancelled);
    CHECK(lookupPcscCode(SCARD_E_UNSUPPORTED_FEATURE).code == Errc::NotSupported);
    CHECK(lookupPcscCode(SCARD_W_UNRESPONSIVE_CARD).code == Errc::CardError);
    // Timeout and Cancelled stay distinct.
    CHECK(lookupPcscCode(SCARD_E_TIMEOUT).code != lookupPcscCode(SCARD_E_CANCELLED).code);
}

TEST_CASE("lookupPcscCode: an unknown value is a reader error named unknown")
{
    const auto& row = lookupPcscCode(0x80100FFF);
    CHECK(row.code == Errc::ReaderError);
    CHECK(row.name == "unknown");
}

TEST_CASE("pcscError: carries the code, the native value and a readable message")
{
    const Error error = pcscError(SCARD_E_NO_SERVICE, "SCardEstablishContext");
    CHECK(error.code == Errc::ReaderServiceDown);
    CHECK(error.native == SCARD_E_NO_SERVICE);
    CHECK(error.message == "SCardEstablishContext: SCARD_E_NO_SERVICE (0x8010001D)");
}

TEST_CASE("isServiceLost: only the codes that need a new context")
{
    using hal::pcsc::isServiceLost;
    CHECK(isServiceLost(SCARD_E_NO_SERVICE));
    CHECK(isServiceLost(SCARD_E_SERVICE_STOPPED));
    CHECK(isServiceLost(SCARD_E_INVALID_HANDLE));
    CHECK_FALSE(isServiceLost(SCARD_W_REMOVED_CARD));
    CHECK_FALSE(isServiceLost(SCARD_E_TIMEOUT));
    CHECK_FALSE(isServiceLost(SCARD_S_SUCCESS));
}

} // namespace
