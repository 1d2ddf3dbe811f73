#include "kiosk/staff/gesture.hpp"

#include <algorithm>

namespace uketsuke::kiosk::staff {

GestureRecognizer::GestureRecognizer(float width, float height, GesturePolicy policy)
    : m_width(width), m_height(height), m_policy(policy)
{
}

GestureRecognizer::Corner GestureRecognizer::cornerAt(float x, float y) const
{
    const float size = m_policy.corner * std::min(m_width, m_height);
    const bool left = x <= size;
    const bool right = x >= m_width - size;
    const bool top = y <= size;
    const bool bottom = y >= m_height - size;
    if (top && left) {
        return Corner::TopLeft;
    }
    if (top && right) {
        return Corner::TopRight;
    }
    if (bottom && right) {
        return Corner::BottomRight;
    }
    if (bottom && left) {
        return Corner::BottomLeft;
    }
    return Corner::None;
}

void GestureRecognizer::down(float x, float y, TimePoint at)
{
    static constexpr Corner kOrder[] = {Corner::TopLeft, Corner::TopRight, Corner::BottomRight,
                                        Corner::BottomLeft};
    const Corner corner = cornerAt(x, y);
    const bool inTime = m_done == 0 || at - m_lastUp <= m_policy.between;
    if (m_done > 0 && (!inTime || corner != kOrder[m_done])) {
        m_done = 0; // out of order or too late: start over (this press may begin a new one)
    }
    m_pressed = true;
    m_pressCorner = corner;
    m_pressAt = at;
}

bool GestureRecognizer::up(float x, float y, TimePoint at)
{
    static constexpr Corner kOrder[] = {Corner::TopLeft, Corner::TopRight, Corner::BottomRight,
                                        Corner::BottomLeft};
    if (!m_pressed) {
        return false;
    }
    m_pressed = false;
    const Corner corner = cornerAt(x, y);
    if (corner != m_pressCorner || corner != kOrder[m_done]) {
        m_done = 0; // released elsewhere, or not the corner that comes next
        return false;
    }
    if (m_done == 0 && at - m_pressAt < m_policy.hold) {
        return false; // a short touch in the top-left corner is only a touch
    }
    ++m_done;
    m_lastUp = at;
    if (m_done == 4) {
        m_done = 0;
        return true;
    }
    return false;
}

void GestureRecognizer::reset()
{
    m_done = 0;
    m_pressed = false;
}

} // namespace uketsuke::kiosk::staff
