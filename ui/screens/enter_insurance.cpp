#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <string>
#include <utility>

namespace uketsuke::ui {

namespace {

using kiosk::runner::Era;
using kiosk::runner::FieldStatus;
using kiosk::runner::InsuranceField;

// The words of each era; keys are literal so tests can check them.
std::string eraLabel(const ScreenContext& ui, Era era)
{
    switch (era) {
    case Era::Western:
        return ui.tr("screen.enter_insurance.era.western");
    case Era::Taisho:
        return ui.tr("screen.enter_insurance.era.taisho");
    case Era::Showa:
        return ui.tr("screen.enter_insurance.era.showa");
    case Era::Heisei:
        return ui.tr("screen.enter_insurance.era.heisei");
    case Era::Reiwa:
        return ui.tr("screen.enter_insurance.era.reiwa");
    }
    return {};
}

// What to type into the selected field (or, once the form is complete, to press 確認する).
std::string hint(const EnterInsuranceModel& m)
{
    const ScreenContext& ui = m.ui;
    if (m.valid) {
        return ui.tr("screen.enter_insurance.hint.ready");
    }
    switch (m.selected) {
    case InsuranceField::InsurerNumber:
        return ui.tr("screen.enter_insurance.hint.insurer_number");
    case InsuranceField::Symbol:
        return ui.tr("screen.enter_insurance.hint.symbol");
    case InsuranceField::Number:
        return ui.tr("screen.enter_insurance.hint.number");
    case InsuranceField::Branch:
        return ui.tr("screen.enter_insurance.hint.branch");
    case InsuranceField::Era:
        return ui.tr("screen.enter_insurance.hint.era");
    case InsuranceField::BirthYear:
        if (m.era == Era::Western) {
            return ui.tr("screen.enter_insurance.hint.birth_year");
        }
        return ui.format("screen.enter_insurance.hint.birth_year_era",
                         {{"era", eraLabel(ui, m.era)}});
    case InsuranceField::BirthMonth:
        return ui.tr("screen.enter_insurance.hint.birth_month");
    case InsuranceField::BirthDay:
        return ui.tr("screen.enter_insurance.hint.birth_day");
    }
    return {};
}

// The field's short name in what 確認する asks for ("番号を入力").
std::string shortName(const ScreenContext& ui, InsuranceField field)
{
    switch (field) {
    case InsuranceField::InsurerNumber:
        return ui.tr("screen.enter_insurance.short.insurer_number");
    case InsuranceField::Symbol:
        return ui.tr("screen.enter_insurance.short.symbol");
    case InsuranceField::Number:
        return ui.tr("screen.enter_insurance.short.number");
    case InsuranceField::Branch:
        return ui.tr("screen.enter_insurance.short.branch");
    case InsuranceField::Era:
        return ui.tr("screen.enter_insurance.short.era");
    case InsuranceField::BirthYear:
        return ui.tr("screen.enter_insurance.short.birth_year");
    case InsuranceField::BirthMonth:
        return ui.tr("screen.enter_insurance.short.birth_month");
    case InsuranceField::BirthDay:
        return ui.tr("screen.enter_insurance.short.birth_day");
    }
    return {};
}

// Why a field is wrong, in words.
std::string whyWords(const ScreenContext& ui, kiosk::runner::FieldProblem problem)
{
    using kiosk::runner::FieldProblem;
    switch (problem) {
    case FieldProblem::None:
        return {};
    case FieldProblem::Missing:
        return ui.tr("screen.enter_insurance.why.missing");
    case FieldProblem::InsurerLength:
        return ui.tr("screen.enter_insurance.why.insurer_length");
    case FieldProblem::BranchLength:
        return ui.tr("screen.enter_insurance.why.branch_length");
    case FieldProblem::YearRange:
        return ui.tr("screen.enter_insurance.why.year_range");
    case FieldProblem::EraYearRange:
        return ui.tr("screen.enter_insurance.why.era_year_range");
    case FieldProblem::MonthRange:
        return ui.tr("screen.enter_insurance.why.month_range");
    case FieldProblem::DayRange:
        return ui.tr("screen.enter_insurance.why.day_range");
    case FieldProblem::NoSuchDate:
        return ui.tr("screen.enter_insurance.why.no_such_date");
    case FieldProblem::Future:
        return ui.tr("screen.enter_insurance.why.future");
    }
    return {};
}

// Whether a field shows as wrong: typed but not acceptable, and the patient has moved on.
bool showsWrong(const EnterInsuranceModel& m, InsuranceField field)
{
    auto i = static_cast<std::size_t>(field);
    return m.selected != field && m.status[i] == FieldStatus::Malformed;
}

// The words that say why the fields of one row are wrong ("" when none is), one sentence each.
std::string whyWrong(const EnterInsuranceModel& m, std::initializer_list<InsuranceField> row)
{
    std::string out;
    for (InsuranceField field : row) {
        if (!showsWrong(m, field)) {
            continue;
        }
        std::string words = whyWords(m.ui, m.problems[static_cast<std::size_t>(field)]);
        if (words.empty() || out.find(words) != std::string::npos) {
            continue; // one sentence for a date that is wrong in two boxes
        }
        out += out.empty() ? "" : " ";
        out += words;
    }
    return out;
}

// 確認する on a complete form; otherwise (not enabled) what the form still needs, first in
// form order: the grey button says why it cannot be pressed yet.
ButtonSpec submitButton(const EnterInsuranceModel& m)
{
    const ScreenContext& ui = m.ui;
    if (m.valid) {
        return {ButtonId::Ok, ui.tr("screen.enter_insurance.submit"), ButtonKind::Primary, true};
    }
    for (std::size_t i = 0; i < kiosk::runner::kInsuranceFieldCount; ++i) {
        if (m.status[i] == FieldStatus::Ok) {
            continue;
        }
        auto field = static_cast<InsuranceField>(i);
        std::string label =
            m.status[i] == FieldStatus::Missing
                ? ui.format("screen.enter_insurance.submit_needs", {{"field", shortName(ui, field)}})
                : ui.format("screen.enter_insurance.submit_check", {{"field", shortName(ui, field)}});
        return {ButtonId::Ok, label, ButtonKind::Primary, false};
    }
    return {ButtonId::Ok, ui.tr("screen.enter_insurance.submit"), ButtonKind::Primary, false};
}

ButtonId fieldButton(InsuranceField field)
{
    switch (field) {
    case InsuranceField::InsurerNumber:
        return ButtonId::FieldInsurer;
    case InsuranceField::Symbol:
        return ButtonId::FieldSymbol;
    case InsuranceField::Number:
        return ButtonId::FieldNumber;
    case InsuranceField::Branch:
        return ButtonId::FieldBranch;
    case InsuranceField::Era:
        return ButtonId::FieldEra;
    case InsuranceField::BirthYear:
        return ButtonId::FieldYear;
    case InsuranceField::BirthMonth:
        return ButtonId::FieldMonth;
    case InsuranceField::BirthDay:
        return ButtonId::FieldDay;
    }
    return ButtonId::FieldInsurer;
}

float widthOf(ImFont* font, const std::string& text)
{
    return font->CalcTextSizeA(font->FontSize, 1.0e9f, 0.0f, text.c_str()).x;
}

float lineOf(ImFont* font)
{
    return std::round(font->FontSize * 1.25f);
}

class Form {
public:
    Form(const EnterInsuranceModel& m, Intents& out) : m_m(m), m_out(out) {}

    FieldBoxSpec spec(InsuranceField field) const
    {
        auto i = static_cast<std::size_t>(field);
        bool selected = m_m.selected == field;
        FieldBoxSpec s{fieldButton(field), m_m.values[i], selected,
                       !selected && m_m.status[i] == FieldStatus::Malformed};
        if (field == InsuranceField::Era) {
            s.value = eraLabel(m_m.ui, m_m.era);
            s.caret = false;
        }
        return s;
    }

    void box(InsuranceField field, ImVec2 pos, ImVec2 size)
    {
        fieldBox(m_m.ui, spec(field), pos, size, m_out);
    }

    // A label in the small font above a box at `x`; one wider than `right - x` ends at `right`
    // instead (a short box at the edge of the form).
    // A label in the small font (times `scale`) with its left edge at `x`.
    void label(const std::string& text, float x, float y, float scale = 1.0f)
    {
        const FontSet& f = *m_m.ui.fonts;
        addText(ImGui::GetWindowDrawList(), f.small, std::floor(f.small->FontSize * scale),
                ImVec2(x, y), toU32(m_m.ui.theme->color.text), text);
    }

    // The labels of one row of boxes, each at its box's left edge (`labels`: text and edge)
    // unless the one after it, or the row's end at `right`, pushes it to the left; when
    // together they are wider than the row (easy Japanese's readings in large text on a small
    // panel), all in a smaller size: never one over another.
    void labelRow(const std::vector<std::pair<std::string, float>>& labels, float y, float right,
                  float gap)
    {
        const FontSet& f = *m_m.ui.fonts;
        const float gaps = gap * static_cast<float>(labels.size() - 1);
        float need = 0.0f;
        for (const auto& [text, x] : labels) {
            need += widthOf(f.small, text);
        }
        const float room = right - labels.front().second - gaps;
        const float scale =
            need > room ? std::floor(std::max(room, 1.0f) / need * 100.0f) / 100.0f : 1.0f;
        const float px = std::floor(f.small->FontSize * scale);
        float end = right;
        for (std::size_t i = labels.size(); i-- > 0;) {
            const auto& [text, boxX] = labels[i];
            const float w = std::ceil(f.small->CalcTextSizeA(px, 1.0e9f, 0.0f, text.c_str()).x);
            const float x = std::round(std::min(boxX, end - w));
            label(text, x, y, scale);
            end = x - gap;
        }
    }

    // Why the row above is wrong, in words, on one line of `width` under it (none: nothing).
    void why(const std::string& text, float x, float y, float width)
    {
        if (text.empty()) {
            return;
        }
        const FontSet& f = *m_m.ui.fonts;
        drawText(f.small, text, ImVec2(x, y), width, Align::Left, m_m.ui.theme->color.attentionInk);
    }

private:
    const EnterInsuranceModel& m_m;
    Intents& m_out;
};

struct EraChoice {
    ButtonId id;
    Era era;
};
// In the order of time, the western calendar last, across the whole width.
constexpr std::array<EraChoice, 5> kEraChoices = {{{ButtonId::EraTaisho, Era::Taisho},
                                                   {ButtonId::EraShowa, Era::Showa},
                                                   {ButtonId::EraHeisei, Era::Heisei},
                                                   {ButtonId::EraReiwa, Era::Reiwa},
                                                   {ButtonId::EraWestern, Era::Western}}};

// The five eras as big buttons where the keypad was (the era field is selected).
void eraChoice(const EnterInsuranceModel& m, Rect area, Intents& out)
{
    const Theme& t = *m.ui.theme;
    float gap = std::round(t.gap * 0.66f);
    float w = std::floor((area.width() - gap) * 0.5f);
    float h = std::floor((area.height() - 2.0f * gap) / 3.0f);
    for (std::size_t i = 0; i < kEraChoices.size(); ++i) {
        const EraChoice& c = kEraChoices[i];
        float row = static_cast<float>(i / 2);
        float col = static_cast<float>(i % 2);
        bool wide = i == kEraChoices.size() - 1;
        ImVec2 pos(area.min.x + col * (w + gap), area.min.y + row * (h + gap));
        ImVec2 size(wide ? area.width() : w, h);
        bigButton(m.ui,
                  {c.id, eraLabel(m.ui, c.era),
                   m.era == c.era ? ButtonKind::Selected : ButtonKind::Key, true},
                  pos, size, out, m.ui.fonts->title);
    }
}

// The least height of the form: its rows at the touch target, no title, and a line under
// only the rows that say something is wrong (as the form lays itself out on a small panel).
float formMinHeight(const EnterInsuranceModel& m, float minTarget)
{
    const Theme& t = *m.ui.theme;
    float labelH = std::round(m.ui.fonts->small->FontSize * 1.1f);
    float labelGap = std::round(t.gap * 0.15f);
    float groupGap = std::round(t.gap * 0.4f);
    float whys = 0.0f;
    for (const std::string& why :
         {whyWrong(m, {InsuranceField::InsurerNumber}),
          whyWrong(m, {InsuranceField::Symbol, InsuranceField::Number, InsuranceField::Branch}),
          whyWrong(m, {InsuranceField::BirthYear, InsuranceField::BirthMonth,
                       InsuranceField::BirthDay})}) {
        whys += why.empty() ? 0.0f : labelH;
    }
    return 3.0f * (labelH + labelGap + minTarget) + 2.0f * groupGap + whys;
}

} // namespace

void drawEnterInsurance(const EnterInsuranceModel& m, Intents& out)
{
    if (m.stillThere) {
        drawStillThere(m.ui, "enter_insurance", out);
        return;
    }
    const ScreenContext& ui = m.ui;
    const Theme& t = *ui.theme;
    const FontSet& f = *ui.fonts;
    beginScreen(ui, "enter_insurance");
    Rect content = contentRect(ui);
    const float minTarget = std::ceil(kMinTargetMm * t.pxPerMm);

    // Landscape: the form on the left, the keypad (or the era choice) with its hint on the
    // right, the buttons along the bottom. Portrait: form, keypad, buttons from top to bottom.
    bool landscape = content.width() > content.height() * 1.15f;
    float buttonH = t.buttonHeight;
    float hintH = 2.0f * lineOf(f.small); // room for two lines
    Rect form;
    Rect side; // hint + keypad
    Rect buttons{{content.min.x, content.max.y - buttonH}, content.max};
    if (landscape) {
        float padW = std::min(std::round(content.width() * 0.41f), t.keyHeight * 6.0f);
        // Wide enough for two era buttons side by side to hold their words (large text, easy
        // Japanese's readings: "大正（たいしょう）"), in the smallest font a button falls back to.
        float eraLabelW = 0.0f;
        for (Era era : {Era::Western, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa}) {
            eraLabelW = std::max(eraLabelW, std::ceil(widthOf(f.small, eraLabel(ui, era))));
        }
        padW = std::max(padW, std::min(2.0f * (eraLabelW + t.gap + 1.0f) +
                                           std::round(t.gap * 0.66f) + 1.0f,
                                       std::round(content.width() * 0.45f)));
        // Large text: the form's rows keep their touch height; the buttons under it give up
        // the room they need (down to the touch target), then the gap above them by half.
        float topGap = t.gap;
        float short_ = formMinHeight(m, minTarget) - (content.height() - buttonH - topGap);
        for (auto [px, least] : {std::pair{&buttonH, minTarget},
                                 std::pair{&topGap, std::round(t.gap * 0.5f)}}) {
            float taken = std::clamp(short_, 0.0f, std::max(0.0f, *px - least));
            *px -= taken;
            short_ -= taken;
        }
        buttons.min.y = content.max.y - buttonH;
        float top = buttons.min.y - topGap;
        side = {{content.max.x - padW, content.min.y}, {content.max.x, top}};
        form = {content.min, {side.min.x - std::round(t.gap * 2.0f), top}};
    } else {
        float padW = std::min(content.width(), t.keyHeight * 6.0f);
        float cx = content.center().x;
        // A short panel (the two-row strip, large text): the form's rows keep their touch
        // height, and the rest gives up the room they need: first the hint, then the keys'
        // height down to the touch target, then the buttons' height, then the gaps by half.
        float keyGap = std::round(t.gap * 0.66f);
        float sideH = hintH + std::round(t.gap * 0.5f) + keypadHeight(t);
        float sideGap = t.gap;
        float formGap = std::round(t.gap * 0.5f);
        float short_ = formMinHeight(m, minTarget) -
                       (content.height() - buttonH - sideGap - sideH - formGap);
        auto give = [&short_](float& px, float least) {
            float taken = std::clamp(short_, 0.0f, std::max(0.0f, px - least));
            px -= taken;
            short_ -= taken;
        };
        give(sideH, 4.0f * minTarget + 3.0f * keyGap);
        give(buttonH, minTarget);
        give(sideGap, std::round(t.gap * 0.5f));
        give(formGap, std::round(t.gap * 0.25f));
        buttons.min.y = content.max.y - buttonH;
        side = {{std::round(cx - padW * 0.5f), buttons.min.y - sideGap - sideH},
                {std::round(cx + padW * 0.5f), buttons.min.y - sideGap}};
        form = {content.min, {content.max.x, side.min.y - formGap}};
    }

    // ---- The form: a title, then three groups, each a small label over its boxes.
    Form boxes(m, out);
    std::string title = ui.tr("screen.enter_insurance.title");
    float titleH = measureText(f.bold, title, form.width());
    float labelH = std::round(f.small->FontSize * 1.1f); // one line, drawn with AddText
    float labelGap = std::round(t.gap * 0.15f);
    float groupGap = std::round(t.gap * 0.4f);
    float titleGap = std::round(t.gap * 0.4f);
    // Each row keeps a line under it for the words that say why a box is wrong.
    const std::array<std::string, 3> whyRows = {
        whyWrong(m, {InsuranceField::InsurerNumber}),
        whyWrong(m, {InsuranceField::Symbol, InsuranceField::Number, InsuranceField::Branch}),
        whyWrong(m, {InsuranceField::BirthYear, InsuranceField::BirthMonth,
                     InsuranceField::BirthDay})};
    std::array<float, 3> whyH = {labelH, labelH, labelH};
    auto fixedHeight = [&] {
        return 3.0f * (labelH + labelGap) + whyH[0] + whyH[1] + whyH[2] + 2.0f * groupGap;
    };
    float fixed = fixedHeight();
    float rowH = std::clamp(std::floor((form.height() - titleH - titleGap - fixed) / 3.0f),
                            minTarget, t.keyHeight);
    if (titleH + titleGap + fixed + 3.0f * rowH > form.height()) {
        // A very small panel: the title makes way for the fields.
        titleH = 0.0f;
        titleGap = 0.0f;
    }
    if (fixed + 3.0f * rowH > form.height()) {
        // Smaller still: only a row with something wrong keeps its line (the rows below move
        // down when one appears, which the larger panels avoid).
        for (std::size_t i = 0; i < whyRows.size(); ++i) {
            whyH[i] = whyRows[i].empty() ? 0.0f : labelH;
        }
        fixed = fixedHeight();
    }
    float used = titleH + titleGap + fixed + 3.0f * rowH;
    float y = form.min.y + std::max(0.0f, std::round((form.height() - used) * 0.3f));
    if (titleH > 0.0f) {
        drawText(f.bold, title, ImVec2(form.min.x, y), form.width(), Align::Left, t.color.text);
        y += titleH + titleGap;
    }

    // What fieldBox keeps around the text of a selected box (its frame, padding and caret).
    const float boxPad = t.gap + 10.0f * t.borderWidth;
    auto boxWidth = [&](const std::string& widest) {
        return std::max(minTarget, std::ceil(widthOf(f.bold, widest) + boxPad));
    };
    float colGap = std::round(t.gap * 0.5f);

    // 保険者番号
    boxes.labelRow({{ui.tr("screen.enter_insurance.insurer_number"), form.min.x}}, y, form.max.x,
                   colGap);
    y += labelH + labelGap;
    float insurerW = std::min(form.width(), std::max(boxWidth("00000000"), form.width() * 0.55f));
    boxes.box(InsuranceField::InsurerNumber, ImVec2(form.min.x, y), ImVec2(insurerW, rowH));
    y += rowH;
    boxes.why(whyRows[0], form.min.x, y, form.width());
    y += whyH[0] + groupGap;

    // 記号 番号 枝番
    float branchW = boxWidth("00");
    float pairW = std::floor((form.width() - branchW - 2.0f * colGap) * 0.5f);
    float x = form.min.x;
    boxes.labelRow({{ui.tr("screen.enter_insurance.symbol"), x},
                    {ui.tr("screen.enter_insurance.number"), x + pairW + colGap},
                    {ui.tr("screen.enter_insurance.branch"), x + 2.0f * (pairW + colGap)}},
                   y, form.max.x, colGap);
    y += labelH + labelGap;
    boxes.box(InsuranceField::Symbol, ImVec2(x, y), ImVec2(pairW, rowH));
    boxes.box(InsuranceField::Number, ImVec2(x + pairW + colGap, y), ImVec2(pairW, rowH));
    boxes.box(InsuranceField::Branch, ImVec2(x + 2.0f * (pairW + colGap), y),
              ImVec2(branchW, rowH));
    y += rowH;
    boxes.why(whyRows[1], form.min.x, y, form.width());
    y += whyH[1] + groupGap;

    // 生年月日: [era][year]年[month]月[day]日
    boxes.labelRow({{ui.tr("screen.enter_insurance.birthdate"), form.min.x}}, y, form.max.x, colGap);
    y += labelH + labelGap;
    float eraW = minTarget;
    for (Era era : {Era::Western, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa}) {
        eraW = std::max(eraW, boxWidth(eraLabel(ui, era)));
    }
    std::array<std::string, 3> units = {ui.tr("screen.enter_insurance.year_unit"),
                                        ui.tr("screen.enter_insurance.month_unit"),
                                        ui.tr("screen.enter_insurance.day_unit")};
    float unitGap = std::round(t.gap * 0.25f);
    std::array<float, 3> unitW{};
    for (std::size_t i = 0; i < units.size(); ++i) {
        unitW[i] = std::ceil(widthOf(f.text, units[i]));
    }
    std::array<float, 3> dateW = {boxWidth("0000"), boxWidth("00"), boxWidth("00")};
    float rowW = eraW + colGap;
    for (std::size_t i = 0; i < 3; ++i) {
        rowW += dateW[i] + 2.0f * unitGap + unitW[i];
    }
    if (rowW > form.width()) {
        // Narrow: the boxes give up their padding first (never below the touch target).
        float over = rowW - form.width();
        float spare = (eraW - minTarget) + (dateW[0] - minTarget);
        float k = spare > 0.0f ? std::min(1.0f, over / spare) : 0.0f;
        eraW -= std::floor((eraW - minTarget) * k);
        dateW[0] -= std::floor((dateW[0] - minTarget) * k);
    }
    x = form.min.x;
    boxes.box(InsuranceField::Era, ImVec2(x, y), ImVec2(eraW, rowH));
    x += eraW + colGap;
    const InsuranceField dateFields[] = {InsuranceField::BirthYear, InsuranceField::BirthMonth,
                                         InsuranceField::BirthDay};
    float textY = std::round(y + (rowH - f.text->FontSize) * 0.5f);
    for (std::size_t i = 0; i < 3; ++i) {
        boxes.box(dateFields[i], ImVec2(x, y), ImVec2(dateW[i], rowH));
        x += dateW[i] + unitGap;
        addText(ImGui::GetWindowDrawList(), f.text, f.text->FontSize, ImVec2(x, textY),
                toU32(t.color.text), units[i]);
        x += unitW[i] + unitGap;
    }
    y += rowH;
    boxes.why(whyRows[2], form.min.x, y, form.width());

    // ---- The side: the hint, then the keypad or the era choice.
    // The keypad keeps its full height; the hint takes what is left above it (on a small
    // panel a hint that does not fit is left out: the labels still say what goes where).
    std::string help = hint(m);
    float helpH = measureText(f.small, help, side.width());
    float hintRoom = side.height() - keypadHeight(t) - std::round(t.gap * 0.5f);
    if (helpH <= hintRoom) {
        drawText(f.small, help, ImVec2(side.min.x, side.min.y), side.width(), Align::Left,
                 t.color.text);
    }
    float padTop = side.min.y + std::clamp(hintH, 0.0f, std::max(0.0f, hintRoom)) +
                   std::round(t.gap * 0.5f);
    padTop = std::max(side.min.y, std::min(padTop, side.max.y - keypadHeight(t)));
    float padH = std::min(side.max.y - padTop, keypadHeight(t) * 1.15f);
    Rect pad{{side.min.x, padTop}, {side.max.x, padTop + padH}};
    if (m.selected == InsuranceField::Era) {
        eraChoice(m, pad, out);
    } else {
        numericKeypad(ui, pad, out);
    }

    // ---- The buttons: cancel on the left; Next and 確認する under the keypad.
    float gap = std::round(t.gap * 0.66f);
    bool last = m.selected == InsuranceField::BirthDay;
    std::vector<ButtonSpec> right = {
        {ButtonId::Next, ui.tr("screen.enter_insurance.next"), ButtonKind::Secondary, !last},
        submitButton(m)};
    if (landscape) {
        float cancelW = std::min(form.width(), t.buttonWidth * 0.8f);
        bigButton(ui, {ButtonId::Cancel, ui.tr("screen.common.cancel"), ButtonKind::Secondary},
                  ImVec2(form.min.x, buttons.min.y), ImVec2(cancelW, buttonH), out);
        float nextW = std::floor((side.width() - gap) * 0.4f);
        // A long "…を確かめる" in large text: 確認する takes the room its words need (in the
        // smallest font the button falls back to), 次へ keeps the rest.
        const float okNeed = std::ceil(widthOf(f.small, right[1].label)) + t.gap + 1.0f;
        if (side.width() - nextW - gap < okNeed) {
            const float nextNeed = std::ceil(widthOf(f.small, right[0].label)) + t.gap + 1.0f;
            nextW = std::max(nextNeed, std::floor(side.width() - gap - okNeed));
        }
        bigButton(ui, right[0], ImVec2(side.min.x, buttons.min.y), ImVec2(nextW, buttonH), out);
        bigButton(ui, right[1], ImVec2(side.min.x + nextW + gap, buttons.min.y),
                  ImVec2(side.width() - nextW - gap, buttonH), out, f.title);
    } else {
        // 確認する gets the most room: it is the one main action.
        float w = std::floor((content.width() - 2.0f * gap) * 0.3f);
        // A long "…を入れる" in large text: 確認する takes the room its words need (in the
        // smallest font the button falls back to), the other two share the rest.
        float okNeed = std::ceil(widthOf(f.small, right[1].label)) + t.gap + 1.0f;
        if (content.width() - 2.0f * (w + gap) < okNeed) {
            w = std::floor((content.width() - okNeed - 2.0f * gap) * 0.5f);
        }
        bigButton(ui, {ButtonId::Cancel, ui.tr("screen.common.cancel"), ButtonKind::Secondary},
                  buttons.min, ImVec2(w, buttonH), out);
        bigButton(ui, right[0], ImVec2(buttons.min.x + w + gap, buttons.min.y),
                  ImVec2(w, buttonH), out);
        bigButton(ui, right[1], ImVec2(buttons.min.x + 2.0f * (w + gap), buttons.min.y),
                  ImVec2(content.width() - 2.0f * (w + gap), buttonH), out, f.title);
    }
    endScreen();
}

} // namespace uketsuke::ui
