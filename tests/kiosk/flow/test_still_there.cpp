// "Need more time?" before a timeout ends a check-in where the patient is typing or reading a
// question (kiosk/flow/flow.hpp, docs/flow.md "Inactivity").

#include "kiosk/flow/flow.hpp"

#include "tests/kiosk/flow/walk.hpp"
#include "tests/support/commands.hpp"

#include <catch2/catch.hpp>

using namespace uketsuke;
using namespace uketsuke::kiosk;
using namespace uketsuke::kiosk::flow;

namespace {

using uketsuke::test::get;
using uketsuke::test::has;

using uketsuke::test::Walk;

Walk atEnterPin()
{
    Walk w;
    w.state.consentTopics = {model::ConsentTopic::Operation};
    w.on(Touch{Intent::Start}).on(CardInserted{}).on(CardRead{{0x30}, 3});
    return w;
}

Walk atForm()
{
    Walk w;
    w.state.canLookUpInsuranceCard = true;
    w.on(Touch{Intent::InsuranceCard});
    return w;
}

} // namespace

SCENARIO("step: a timeout while typing asks for more time, and more time keeps everything")
{
    for (int where = 0; where < 3; ++where) {
        Walk w = where == 2 ? atForm() : atEnterPin();
        if (where == 1) {
            w.on(PinSubmitted{}); // the consent question
        }
        const Phase phase = w.phase();
        INFO("phase " << phaseName(phase));
        const auto before = w.timer();
        w.on(Timeout{w.timer()});
        CHECK(w.phase() == phase);
        CHECK(w.state.stillThere);
        CHECK(get<StartTimer>(w.last).after == Timeouts{}.stillThere);
        CHECK_FALSE(has<DiscardPin>(w.last));
        CHECK_FALSE(has<DiscardInsurance>(w.last));
        CHECK(step(w.state, Timeout{before}).rejected); // the phase's own timer is gone

        w.on(Touch{Intent::MoreTime});
        CHECK(w.phase() == phase);
        CHECK_FALSE(w.state.stillThere);
        REQUIRE(has<StartTimer>(w.last));
        CHECK(get<StartTimer>(w.last).after > Timeouts{}.stillThere); // the whole time again

        // Asked again the next time, and then ended when nobody answers.
        w.on(Timeout{w.timer()});
        CHECK(w.state.stillThere);
        w.on(Timeout{w.timer()});
        CHECK((w.phase() == Phase::RemoveCard || w.phase() == Phase::Idle));
        CHECK_FALSE(w.state.stillThere);
        CHECK((has<DiscardPin>(w.last)));
    }
}

TEST_CASE("step: cancel on the prompt ends the check-in at once")
{
    Walk w = atEnterPin();
    w.on(Timeout{w.timer()}).on(Touch{Intent::Cancel});
    CHECK(w.phase() == Phase::RemoveCard);
    CHECK(has<DiscardPin>(w.last));
}

TEST_CASE("step: an edit of the form answers the prompt")
{
    Walk w = atForm();
    w.on(Timeout{w.timer()});
    REQUIRE(w.state.stillThere);
    w.on(InsuranceEdited{});
    CHECK_FALSE(w.state.stillThere);
    CHECK(get<StartTimer>(w.last).after == Timeouts{}.enterInsurance);
}

TEST_CASE("step: more time is taken only while asking, and other screens end at once")
{
    Walk w = atEnterPin();
    w.on(Touch{Intent::MoreTime});
    CHECK(w.last.rejected);

    Walk place;
    place.on(Touch{Intent::Start});
    place.on(Timeout{place.timer()});
    CHECK(place.phase() == Phase::Idle); // nobody was typing: no question
    CHECK_FALSE(place.state.stillThere);
}
