// The card as the health report tells the desk (flow::cardState, flow::cardIdle): what the
// reader says is there and what the last read of it found.

#include "kiosk/flow/flow.hpp"
#include "tests/kiosk/flow/walk.hpp"

#include <catch2/catch.hpp>

using namespace uketsuke;
using namespace uketsuke::kiosk::flow;
using uketsuke::kiosk::model::CardState;

namespace {

// cardState() as the runner asks it: with its previous answer.
struct Tracker {
    test::Walk walk;
    std::optional<CardState> card = cardState(walk.state, std::nullopt);

    Tracker& on(const Event& e)
    {
        walk.on(e);
        card = cardState(walk.state, card);
        return *this;
    }
};

} // namespace

TEST_CASE("cardState: absent, present while read and used, idle once the check-in is over")
{
    Tracker t;
    CHECK(t.card == CardState::Absent);
    CHECK_FALSE(cardIdle(t.walk.state));
    t.on(CardInserted{});
    REQUIRE(t.walk.phase() == Phase::ReadingCard);
    CHECK(t.card == CardState::Present);
    CHECK_FALSE(cardIdle(t.walk.state));
    t.on(CardRead{{0x30, 0x82}, 3});
    REQUIRE(t.walk.phase() == Phase::EnterPin);
    CHECK(t.card == CardState::Present);
    CHECK_FALSE(cardIdle(t.walk.state));
    t.on(Touch{Intent::Cancel});
    REQUIRE(t.walk.phase() == Phase::RemoveCard);
    CHECK(t.card == CardState::Present);
    CHECK(cardIdle(t.walk.state)); // the terminal asks for it back: nobody is using it
    t.on(CardRemoved{});
    CHECK(t.walk.phase() == Phase::Idle);
    CHECK(t.card == CardState::Absent);
    CHECK_FALSE(cardIdle(t.walk.state));
}

TEST_CASE("cardState: a card that failed to read stays so until it is read again or taken")
{
    Tracker t;
    t.on(CardInserted{}).on(CardFailed{Error{Errc::CardMalformedReply, 0, "garbage"}});
    REQUIRE(t.walk.phase() == Phase::Error);
    CHECK(t.card == CardState::Unreadable);
    t.on(Touch{Intent::Retry});
    REQUIRE(t.walk.phase() == Phase::ReadingCard);
    CHECK(t.card == CardState::Present); // being read again: the last failure says nothing now
    t.on(CardFailed{Error{Errc::CardMalformedReply, 0, "garbage"}});
    CHECK(t.card == CardState::Unreadable);
    t.on(Touch{Intent::Done});
    REQUIRE(t.walk.phase() == Phase::RemoveCard);
    CHECK(t.card == CardState::Unreadable); // the same card, left there
    CHECK(cardIdle(t.walk.state));
    t.on(CardRemoved{});
    CHECK(t.card == CardState::Absent);

    t.on(CardInserted{}).on(CardFailed{Error{Errc::NotMyNumberCard, 0, "6A 82"}});
    CHECK(t.card == CardState::NotMyNumberCard);
    t.on(Touch{Intent::Done});
    REQUIRE(t.walk.phase() == Phase::RemoveCard);
    CHECK(t.card == CardState::NotMyNumberCard);
    t.on(CardRemoved{}).on(CardInserted{});
    CHECK(t.card == CardState::Present); // another card: read afresh
}

TEST_CASE("cardState: unknown while the reader is away, and idle when check-in is closed")
{
    Tracker t;
    t.on(ReaderStatus{false});
    CHECK_FALSE(t.card.has_value());
    CHECK_FALSE(cardIdle(t.walk.state));
    t.on(ReaderStatus{true});
    CHECK(t.card == CardState::Absent);

    t.on(OutOfService{true}).on(CardInserted{});
    REQUIRE(t.walk.phase() == Phase::Idle); // closed: the card is not read
    CHECK(t.card == CardState::Present);
    CHECK(cardIdle(t.walk.state));

    // A card placed while a patient types a 資格確認書's data: the form is in use, not idle.
    Tracker form;
    form.walk.state.canLookUpInsuranceCard = true;
    form.on(Touch{Intent::InsuranceCard});
    REQUIRE(form.walk.phase() == Phase::EnterInsurance);
    form.on(CardInserted{});
    CHECK(form.card == CardState::Present);
    CHECK_FALSE(cardIdle(form.walk.state));
}
