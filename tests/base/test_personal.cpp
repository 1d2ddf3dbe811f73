#include "base/personal.hpp"

#include "base/log.hpp"
#include "base/secret.hpp"
#include "tests/support/streamable.hpp"

#include <catch2/catch.hpp>

#include <ostream>
#include <string>
#include <type_traits>
#include <utility>

using namespace uketsuke;

namespace {

using test::Streamable;

// The detector itself works: a string and a number can be streamed, to a stream and a log line.
static_assert(Streamable<std::ostream, std::string>::value);
static_assert(Streamable<std::ostream, int>::value);
static_assert(Streamable<log::Line, std::string>::value);
static_assert(Streamable<log::Line, int>::value);

// Personal data and the PIN cannot: `UKETSUKE_LOG(...) << name` does not compile.
static_assert(!Streamable<std::ostream, PatientName>::value);
static_assert(!Streamable<log::Line, PatientName>::value);
static_assert(!Streamable<std::ostream, Pin>::value);
static_assert(!Streamable<log::Line, Pin>::value);

// No way into or out of a string without saying so.
static_assert(!std::is_convertible_v<PatientName, std::string>);
static_assert(!std::is_convertible_v<PatientName, std::string_view>);
static_assert(!std::is_convertible_v<std::string, PatientName>);
static_assert(!std::is_convertible_v<const char*, PatientName>);
static_assert(std::is_constructible_v<PatientName, std::string>);

// Each kind of personal data is its own type.
using InsurerNumber = Personal<struct InsurerNumberTag>;
static_assert(!std::is_convertible_v<PatientName, InsurerNumber>);
static_assert(!std::is_constructible_v<InsurerNumber, PatientName>);

} // namespace

TEST_CASE("personal: a patient name keeps its value and reveals it only when asked")
{
    const PatientName name(std::string("山田 太郎"));
    CHECK(name.reveal() == "山田 太郎");
    CHECK_FALSE(name.empty());
    CHECK(PatientName{}.empty());

    PatientName copy = name;
    CHECK(copy == name);
    CHECK_FALSE(copy == PatientName(std::string("ヤマダ タロウ")));
}
