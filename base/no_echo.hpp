#pragma once

// Turns the terminal's echo off for as long as it lives, so that a secret typed at a command
// (`uketsuke-desk user add`, `uketsuke-kiosk staff add`) is not shown. Does nothing when stdin
// is not a terminal (a password piped in).

#include <termios.h>

namespace uketsuke {

class NoEcho {
public:
    NoEcho();
    ~NoEcho();
    NoEcho(const NoEcho&) = delete;
    NoEcho& operator=(const NoEcho&) = delete;

private:
    termios m_saved{};
    bool m_active = false;
};

} // namespace uketsuke
