#include "base/no_echo.hpp"

#include <unistd.h>

namespace uketsuke {

NoEcho::NoEcho()
{
    if (::tcgetattr(STDIN_FILENO, &m_saved) == 0) {
        termios quiet = m_saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        m_active = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
}

NoEcho::~NoEcho()
{
    if (m_active) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &m_saved);
    }
}

} // namespace uketsuke
