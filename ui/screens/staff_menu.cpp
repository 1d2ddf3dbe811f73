#include "ui/screens/screens.hpp"

#include "ui/widgets.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace uketsuke::ui {
namespace {

using kiosk::staff::Role;
using kiosk::staff::Section;

struct NavItem {
    ButtonId id;
    Section section;
    const char* key;
};

constexpr NavItem kNav[] = {
    {ButtonId::StaffHome, Section::Home, "staff.menu.home"},
    {ButtonId::StaffDevices, Section::Devices, "staff.menu.devices"},
    {ButtonId::StaffToday, Section::Today, "staff.menu.today"},
    {ButtonId::StaffLogs, Section::Logs, "staff.menu.logs"},
    {ButtonId::StaffSettings, Section::Settings, "staff.menu.settings"},
};

const char* sectionTitleKey(Section section)
{
    if (section == Section::Visual) {
        return "staff.visual.title";
    }
    if (section == Section::Enrol) {
        return "staff.enrol.title";
    }
    if (section == Section::Pair) {
        return "staff.pair.title";
    }
    for (const auto& item : kNav) {
        if (item.section == section) {
            return item.key;
        }
    }
    return "staff.menu.home";
}

// The actions of a section, along the bottom of its page.
std::vector<ButtonSpec> actionsOf(const StaffMenuModel& m)
{
    const ScreenContext& ui = m.ui;
    std::vector<ButtonSpec> buttons;
    switch (m.section) {
    case Section::Home:
        if (m.visualPossible) {
            // The patient waits at the PIN: staff may confirm by the card's photo.
            buttons.push_back(
                {ButtonId::StaffVisual, ui.tr("staff.action.visual"), ButtonKind::Primary});
        }
        buttons.push_back({ButtonId::StaffOutOfService,
                           ui.tr(m.outOfService ? "staff.action.back_in_service"
                                                : "staff.action.out_of_service"),
                           ButtonKind::Secondary});
        if (m.role == Role::Admin) {
            buttons.push_back({ButtonId::StaffEnrol, ui.tr("staff.action.enrol"),
                               ButtonKind::Secondary, !m.enrolling});
            buttons.push_back({ButtonId::StaffPair, ui.tr("staff.action.pair"),
                               ButtonKind::Secondary, !m.enrolling});
            buttons.push_back(
                {ButtonId::StaffRestart, ui.tr("staff.action.restart"), ButtonKind::Secondary});
        }
        break;
    case Section::Enrol: // its own screen (staff_enrol.cpp), as the pairing page's
    case Section::Pair:
        break;
    case Section::Devices:
        buttons.push_back({ButtonId::StaffTestCard, ui.tr("staff.action.test_card"),
                           ButtonKind::Secondary, !m.testing});
        buttons.push_back({ButtonId::StaffTestPrinter, ui.tr("staff.action.test_printer"),
                           ButtonKind::Secondary, !m.testing});
        buttons.push_back({ButtonId::StaffTestNetwork, ui.tr("staff.action.test_network"),
                           ButtonKind::Secondary, !m.testing});
        break;
    case Section::Today:
        buttons.push_back(
            {ButtonId::StaffSendNow, ui.tr("staff.action.send_now"), ButtonKind::Secondary});
        break;
    case Section::Settings:
        if (m.editingSettings) {
            buttons.push_back({ButtonId::StaffSettingNext, ui.tr("staff.action.setting_next"),
                               ButtonKind::Secondary});
            buttons.push_back({ButtonId::StaffSettingDown, ui.tr("staff.action.setting_down"),
                               ButtonKind::Secondary});
            buttons.push_back({ButtonId::StaffSettingUp, ui.tr("staff.action.setting_up"),
                               ButtonKind::Secondary});
            buttons.push_back({ButtonId::StaffSettingsSave, ui.tr("staff.action.save_settings"),
                               ButtonKind::Primary});
            buttons.push_back(
                {ButtonId::Cancel, ui.tr("staff.action.cancel_settings"), ButtonKind::Secondary});
        } else if (m.role == Role::Admin) {
            buttons.push_back({ButtonId::StaffEditSettings, ui.tr("staff.action.edit_settings"),
                               ButtonKind::Secondary});
        }
        break;
    case Section::Logs:
        break;
    case Section::Visual:
        buttons.push_back(
            {ButtonId::StaffVisualConfirm, ui.tr("staff.visual.confirm"), ButtonKind::Primary});
        buttons.push_back({ButtonId::Cancel, ui.tr("staff.visual.cancel"), ButtonKind::Secondary});
        break;
    }
    return buttons;
}

} // namespace

// The maintenance menu: the sections down the left with Lock at the bottom; the page of the
// open section on the right (label and value rows), its actions along the bottom.
void drawStaffMenu(const StaffMenuModel& m, Intents& out)
{
    const ScreenContext& ui = m.ui;
    const Theme& t = *ui.theme;
    const FontSet& f = *ui.fonts;
    beginScreen(ui, "staff_menu");
    Rect content = contentRect(ui);
    const bool landscape = content.width() > content.height();

    // Navigation: a column (landscape) or two rows across the top (portrait).
    Rect page = content;
    const int navCount = static_cast<int>(std::size(kNav)) + 1; // + Lock
    if (landscape) {
        const float navW = std::round(std::min(content.width() * 0.26f, t.buttonWidth * 1.2f));
        const float h = std::max(t.buttonHeight * 0.8f,
                                 std::floor((content.height() - t.gap * (navCount - 1)) /
                                            static_cast<float>(navCount)));
        float y = content.min.y;
        for (const auto& item : kNav) {
            bigButton(ui,
                      {item.id, ui.tr(item.key),
                       item.section == m.section ? ButtonKind::Selected : ButtonKind::Secondary},
                      ImVec2(content.min.x, y), ImVec2(navW, h), out);
            y += h + t.gap;
        }
        bigButton(ui, {ButtonId::StaffLock, ui.tr("staff.menu.lock"), ButtonKind::Primary},
                  ImVec2(content.min.x, content.max.y - h), ImVec2(navW, h), out);
        page.min.x = content.min.x + navW + std::round(t.gap * 2.0f);
    } else {
        const int perRow = 3;
        const float w = std::floor((content.width() - t.gap * (perRow - 1)) / perRow);
        const float h = t.buttonHeight;
        int i = 0;
        auto place = [&](const ButtonSpec& spec) {
            const float x = content.min.x + static_cast<float>(i % perRow) * (w + t.gap);
            const float y = content.min.y + static_cast<float>(i / perRow) * (h + t.gap);
            bigButton(ui, spec, ImVec2(x, y), ImVec2(w, h), out);
            ++i;
        };
        for (const auto& item : kNav) {
            place({item.id, ui.tr(item.key),
                   item.section == m.section ? ButtonKind::Selected : ButtonKind::Secondary});
        }
        place({ButtonId::StaffLock, ui.tr("staff.menu.lock"), ButtonKind::Primary});
        page.min.y = content.min.y + 2.0f * (h + t.gap) + t.gap;
    }

    // The page: title, who is signed in, the rows (a page of them when they do not all fit,
    // with 前へ / 次へ beside the title), the actions.
    const float width = page.width();
    std::vector<ButtonSpec> actions = actionsOf(m);
    const float actionsTop = page.max.y - buttonGridHeight(ui, actions, width);
    const float labelW = std::round(width * 0.42f);
    const float rowGap = std::round(t.gap * 0.3f);
    auto valueOf = [](const ScreenContext& c, const kiosk::runner::StaffRow& row) {
        return !row.valueIsKey     ? row.value
               : row.args.empty() ? c.tr(row.value)
                                  : c.format(row.value, row.args);
    };
    // Measuring looks strings up without noting them as shown (a script's expect-text sees
    // only the rows of the page on screen).
    ScreenContext quiet = ui;
    quiet.shownKeys = nullptr;
    auto rowHeight = [&](const kiosk::runner::StaffRow& row) {
        if (row.labelKey.empty()) {
            return measureText(f.small, valueOf(quiet, row), width);
        }
        return std::max(measureText(f.small, quiet.tr(row.labelKey), labelW),
                        measureText(f.small, valueOf(quiet, row), width - labelW - t.gap)) +
               rowGap;
    };

    std::string who = ui.format(m.role == Role::Admin ? "staff.menu.signed_in_admin"
                                                      : "staff.menu.signed_in_staff",
                                {{"id", m.staffId}});
    const std::string title = ui.tr(sectionTitleKey(m.section));
    // With pages, 前へ / 次へ and "2 / 3" take the title line's right end.
    const float pageButtonH = t.buttonHeight * 0.8f;
    const float pageButtonW = std::round(t.buttonWidth * 0.6f);
    const float pageButtonsX = page.max.x - pageButtonW * 2.0f - t.gap;
    auto headerHeight = [&](float titleW, float atLeast) {
        float h = std::max(atLeast, measureText(f.title, title, titleW) +
                                        measureText(f.small, who, titleW)) +
                  t.gap;
        if (m.section == Section::Visual) {
            h += t.gap * 3.0f + measureText(f.title, quiet.tr("staff.visual.question"), width) +
                 measureText(f.text, quiet.tr("staff.visual.hint"), width);
        }
        return h;
    };
    // Pages of rows: as many as fit between the header and the actions (one row at least).
    const float rowsBottom = actionsTop - t.gap;
    auto paginate = [&](float rowsTop) {
        std::vector<std::size_t> starts{0};
        float used = 0.0f;
        for (std::size_t i = 0; i < m.rows.size(); ++i) {
            const float h = rowHeight(m.rows[i]);
            if (used > 0.0f && rowsTop + used + h > rowsBottom) {
                starts.push_back(i);
                used = 0.0f;
            }
            used += h;
        }
        return starts;
    };
    float titleW = width;
    float rowsTop = page.min.y + headerHeight(titleW, 0.0f);
    std::vector<std::size_t> pageStarts = paginate(rowsTop);
    if (pageStarts.size() > 1) {
        // A narrower title beside the page buttons, and room for them.
        titleW = std::max(width * 0.3f, pageButtonsX - page.min.x - t.gap * 2.0f -
                                            textWidth(f.small, "00 / 00", width));
        rowsTop = page.min.y + headerHeight(titleW, pageButtonH);
        pageStarts = paginate(rowsTop);
    }
    const int pages = static_cast<int>(pageStarts.size());
    int shown = std::clamp(m.page, 0, pages - 1);
    if (m.editingSettings) {
        // The editor shows the page of its selected setting.
        for (std::size_t i = 0; i < m.rows.size(); ++i) {
            if (m.rows[i].selected) {
                shown = static_cast<int>(
                    std::upper_bound(pageStarts.begin(), pageStarts.end(), i) -
                    pageStarts.begin() - 1);
            }
        }
    }
    const std::size_t first = pageStarts[static_cast<std::size_t>(shown)];
    const std::size_t last = shown + 1 < pages ? pageStarts[static_cast<std::size_t>(shown) + 1]
                                               : m.rows.size();

    if (pages > 1) {
        // The editor pages by its selection: no buttons then, only where it is.
        if (!m.editingSettings) {
            bigButton(ui,
                      {ButtonId::StaffPagePrevious, ui.tr("staff.action.page_previous"),
                       ButtonKind::Secondary, shown > 0},
                      ImVec2(pageButtonsX, page.min.y), ImVec2(pageButtonW, pageButtonH), out);
            bigButton(ui,
                      {ButtonId::StaffPageNext, ui.tr("staff.action.page_next"),
                       ButtonKind::Secondary, shown + 1 < pages},
                      ImVec2(pageButtonsX + pageButtonW + t.gap, page.min.y),
                      ImVec2(pageButtonW, pageButtonH), out);
        }
        const std::string where =
            ui.format("staff.menu.page",
                      {{"page", std::to_string(shown + 1)}, {"pages", std::to_string(pages)}});
        const float whereW = textWidth(f.small, where, width);
        const float whereX =
            m.editingSettings ? page.max.x - whereW : pageButtonsX - t.gap - whereW;
        drawText(f.small, where,
                 ImVec2(whereX, page.min.y + (pageButtonH - f.small->FontSize) * 0.5f),
                 whereW + 1.0f, Align::Left, t.color.textMuted);
    }

    float y = page.min.y;
    y += drawText(f.title, title, ImVec2(page.min.x, y), titleW, Align::Left, t.color.text);
    y += drawText(f.small, who, ImVec2(page.min.x, y), titleW, Align::Left, t.color.textMuted) +
         t.gap;

    if (m.section == Section::Visual) {
        // One question in plain words, large; what confirming does, below it.
        y += t.gap;
        y += drawText(f.title, ui.tr("staff.visual.question"), ImVec2(page.min.x, y), width,
                      Align::Left, t.color.text) +
             t.gap;
        y += drawText(f.text, ui.tr("staff.visual.hint"), ImVec2(page.min.x, y), width,
                      Align::Left, t.color.textMuted);
    }

    y = std::max(y, rowsTop);
    for (std::size_t i = first; i < last; ++i) {
        const auto& row = m.rows[i];
        const std::string value = valueOf(ui, row);
        if (row.labelKey.empty()) {
            y += drawText(f.small, value, ImVec2(page.min.x, y), width, Align::Left,
                          row.attention ? t.color.attentionInk : t.color.text);
            continue;
        }
        if (row.selected) {
            // The settings editor's key: a pale band behind its row.
            const float h = f.small->FontSize * 1.5f;
            ImGui::GetWindowDrawList()->AddRectFilled(
                ImVec2(page.min.x - t.gap * 0.5f, y - t.gap * 0.2f), ImVec2(page.max.x, y + h),
                toU32(t.color.info), 6.0f);
        }
        const float hl = drawText(f.small, ui.tr(row.labelKey),
                                  ImVec2(page.min.x, y), labelW, Align::Left,
                                  row.selected ? t.color.text : t.color.textMuted);
        // Values in the small size too: a device test's facts fill a dozen rows.
        const float hv = drawText(f.small, value, ImVec2(page.min.x + labelW + t.gap, y),
                                  width - labelW - t.gap, Align::Left,
                                  row.attention ? t.color.attentionInk : t.color.text);
        y += std::max(hl, hv) + rowGap;
    }
    if (m.testing) {
        drawText(f.small, ui.tr("staff.test.running"), ImVec2(page.min.x, y), width, Align::Left,
                 t.color.textMuted);
    }
    if (!actions.empty()) {
        Rect row{{page.min.x, actionsTop}, {page.max.x, page.max.y}};
        buttonGrid(ui, actions, row, out);
    }
    endScreen();
}

} // namespace uketsuke::ui
