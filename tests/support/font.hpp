#pragma once

// The name renderer with the default font (Noto Sans CJK JP), opened once per test binary.

#include "hal/text/text_renderer.hpp"

#include <catch2/catch.hpp>

namespace uketsuke::test {

inline const hal::text::TextRenderer& defaultRenderer()
{
    static hal::text::TextRenderer renderer = [] {
        auto opened = hal::text::TextRenderer::open();
        REQUIRE(opened);
        return std::move(*opened);
    }();
    return renderer;
}

} // namespace uketsuke::test
