#include "kiosk/eligibility/combined_source.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <utility>

using namespace uketsuke;
using namespace uketsuke::kiosk::eligibility;

namespace {

// A source that answers every call with a result marked with its own name and counts calls.
// Single-threaded: the tests call it from one thread.
struct Calls {
    int challenge = 0;
    int confirm = 0;
    int lookup = 0;
    int cancel = 0;
    std::string lastChallengeId;
    std::string lastInsuredNumber;
};

class FakeSource final : public EligibilitySource {
public:
    FakeSource(std::string name, Capabilities capabilities, Calls& calls)
        : m_name(std::move(name)), m_capabilities(capabilities), m_calls(calls)
    {
    }

    Capabilities capabilities() const override { return m_capabilities; }

    Result<Challenge> challenge() override
    {
        ++m_calls.challenge;
        Challenge c;
        c.id = m_name + "-challenge";
        return c;
    }

    Result<kiosk::model::QualificationResult> confirm(const ConfirmRequest& request) override
    {
        ++m_calls.confirm;
        m_calls.lastChallengeId = request.challengeId;
        return answer();
    }

    Result<kiosk::model::QualificationResult> lookup(const InsuranceCardQuery& query) override
    {
        ++m_calls.lookup;
        m_calls.lastInsuredNumber = query.insuredIdentificationNumber;
        return answer();
    }

    void cancel() override { ++m_calls.cancel; }

private:
    kiosk::model::QualificationResult answer() const
    {
        kiosk::model::QualificationResult r;
        r.header.arbitraryFileIdentifier = m_name;
        return r;
    }

    std::string m_name;
    Capabilities m_capabilities;
    Calls& m_calls;
};

std::unique_ptr<EligibilitySource> cardFake(Calls& calls)
{
    return std::make_unique<FakeSource>("card", Capabilities{true, false}, calls);
}

std::unique_ptr<EligibilitySource> lookupFake(Calls& calls)
{
    return std::make_unique<FakeSource>("lookup", Capabilities{false, true}, calls);
}

InsuranceCardQuery query()
{
    InsuranceCardQuery q;
    q.insurerNumber = "06139999";
    q.insuredIdentificationNumber = "345";
    q.birthdate = "19800101";
    return q;
}

} // namespace

TEST_CASE("CombinedSource::challenge and confirm: go to the card source only")
{
    Calls card;
    Calls lookup;
    CombinedSource source(cardFake(card), lookupFake(lookup));

    auto challenge = source.challenge();
    REQUIRE(challenge.has_value());
    CHECK(challenge->id == "card-challenge");

    ConfirmRequest request;
    request.challengeId = challenge->id;
    auto result = source.confirm(request);
    REQUIRE(result.has_value());
    CHECK(result->header.arbitraryFileIdentifier == "card");

    CHECK(card.challenge == 1);
    CHECK(card.confirm == 1);
    CHECK(card.lastChallengeId == "card-challenge");
    CHECK(card.lookup == 0);
    CHECK(lookup.challenge == 0);
    CHECK(lookup.confirm == 0);
}

TEST_CASE("CombinedSource::lookup: goes to the lookup source only")
{
    Calls card;
    Calls lookup;
    CombinedSource source(cardFake(card), lookupFake(lookup));

    auto result = source.lookup(query());
    REQUIRE(result.has_value());
    CHECK(result->header.arbitraryFileIdentifier == "lookup");
    CHECK(lookup.lookup == 1);
    CHECK(lookup.lastInsuredNumber == "345");
    CHECK(card.lookup == 0);
}

TEST_CASE("CombinedSource::capabilities: what the present sources offer")
{
    Calls card;
    Calls lookup;

    auto both = CombinedSource(cardFake(card), lookupFake(lookup)).capabilities();
    CHECK(both.myNumberCard);
    CHECK(both.insuranceCard);

    auto cardOnly = CombinedSource(cardFake(card), nullptr).capabilities();
    CHECK(cardOnly.myNumberCard);
    CHECK_FALSE(cardOnly.insuranceCard);

    auto lookupOnly = CombinedSource(nullptr, lookupFake(lookup)).capabilities();
    CHECK_FALSE(lookupOnly.myNumberCard);
    CHECK(lookupOnly.insuranceCard);

    auto none = CombinedSource(nullptr, nullptr).capabilities();
    CHECK_FALSE(none.myNumberCard);
    CHECK_FALSE(none.insuranceCard);
}

TEST_CASE("CombinedSource::capabilities: a source in the wrong slot offers only its own "
          "abilities there")
{
    // A lookup-only source as the card source adds no My Number card ability, and a card-only
    // source as the lookup source adds no lookup.
    Calls card;
    Calls lookup;
    auto swapped = CombinedSource(lookupFake(lookup), cardFake(card)).capabilities();
    CHECK_FALSE(swapped.myNumberCard);
    CHECK_FALSE(swapped.insuranceCard);
}

TEST_CASE("CombinedSource: an absent source is NotSupported")
{
    Calls calls;
    SECTION("no card source")
    {
        CombinedSource source(nullptr, lookupFake(calls));
        auto challenge = source.challenge();
        REQUIRE_FALSE(challenge.has_value());
        CHECK(challenge.error().code == Errc::NotSupported);
        auto confirm = source.confirm(ConfirmRequest{});
        REQUIRE_FALSE(confirm.has_value());
        CHECK(confirm.error().code == Errc::NotSupported);
        CHECK(calls.challenge == 0);
        CHECK(calls.confirm == 0);
        CHECK(source.lookup(query()).has_value());
    }
    SECTION("no lookup source")
    {
        CombinedSource source(cardFake(calls), nullptr);
        auto lookup = source.lookup(query());
        REQUIRE_FALSE(lookup.has_value());
        CHECK(lookup.error().code == Errc::NotSupported);
        CHECK(calls.lookup == 0);
        CHECK(source.challenge().has_value());
    }
}

TEST_CASE("CombinedSource::cancel: reaches both sources")
{
    Calls card;
    Calls lookup;
    CombinedSource source(cardFake(card), lookupFake(lookup));
    source.cancel();
    CHECK(card.cancel == 1);
    CHECK(lookup.cancel == 1);

    Calls alone;
    CombinedSource lookupOnly(nullptr, lookupFake(alone));
    lookupOnly.cancel(); // no card source: nothing to reach, and no crash
    CHECK(alone.cancel == 1);
}
