// Golden byte streams for representative slips: the exact bytes hal/escpos sends, and the
// simulator's canonical dump of them (readable in review). Regenerate after an intended change
// with UKETSUKE_UPDATE_GOLDEN=1 and read the diff of the .txt files.

#include "hal/escpos/slip_layout.hpp"

#include "tests/hal/escpos/golden.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace uketsuke::hal::escpos {
namespace {

using Size = SlipLine::Size;

Slip success(std::string name)
{
    Slip s;
    s.id = "20261204-0007";
    s.lines = {{"さくら整骨院", Size::Normal, true},
               {"受付票", Size::Large, true},
               {"", Size::Normal, false},
               {"受付番号", Size::Normal, true},
               {"0007", Size::Huge, true},
               {"2026年12月4日(金) 09:30", Size::Normal, true},
               {"", Size::Normal, false},
               {std::move(name), Size::Large, true},
               {"", Size::Normal, false},
               {"お呼びするまでお待ちください", Size::Large, true},
               {"", Size::Normal, false},
               {"保険証の確認ができました。お名前をお呼びしますので、待合室でお待ちください。"},
               {"保険者 06139999　負担割合 3割"}};
    s.qrPayload = "UKETSUKE1:20261204:0007";
    return s;
}

Slip notFound()
{
    Slip s;
    s.id = "20261204-0008";
    s.lines = {{"受付票", Size::Large, true},
               {"0008", Size::Huge, true},
               {"2026年12月4日(金) 09:41", Size::Normal, true},
               {"", Size::Normal, false},
               {"受付窓口へお越しください", Size::Large, true},
               {"", Size::Normal, false},
               {"オンラインで保険の資格を確認できませんでした。"},
               {"", Size::Normal, false},
               {"次のいずれかをお持ちの場合は、受付でお見せください。"},
               {"・資格確認書"},
               {"・資格情報のお知らせ"},
               {"・マイナポータルの保険の資格情報の画面"},
               {"", Size::Normal, false},
               {"マイナンバーカードの電子証明書の有効期限の3か月前から、お住まいの市区町村の窓口で更新できます。"}};
    s.qrPayload = "UKETSUKE1:20261204:0008";
    return s;
}

struct Golden {
    std::string name;
    Slip slip;
    int width;
};

std::vector<Golden> goldens()
{
    return {
        {"success_576", success("山田 太郎 様"), 576},
        {"success_512", success("山田 太郎 様"), 512},
        {"success_384", success("山田 太郎 様"), 384},
        {"not_found_576", notFound(), 576},
        {"not_found_384", notFound(), 384},
        {"long_name_576", success("寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末 様"), 576},
        {"uncommon_kanji_576", success("髙﨑 ㈱①商店 様"), 576},
        {"outside_cp932_576", success("𠮷田 太郎 様"), 576},
    };
}

TEST_CASE("Golden byte streams and dumps for representative slips", "[escpos][golden]")
{
    for (const Golden& golden : goldens()) {
        test::checkGolden(golden.name, golden.slip, golden.width);
    }
}

} // namespace
} // namespace uketsuke::hal::escpos
