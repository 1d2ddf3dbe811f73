#pragma once

// Result<T>: the error type at every I/O boundary (docs/architecture.md).
// It has the interface of std::expected (has_value, value, error, and_then, transform,
// or_else) because libstdc++ 12's <expected> does not compile with clang 14-16, which builds
// our fuzzers. When the toolchain moves on, Result becomes an alias.

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace uketsuke {

// Closed error codes grouped by subsystem, as OpenSC's errors.h ranges are.
// Timeout and Cancelled are distinct everywhere.
enum class Errc : std::uint16_t {
    // generic
    Timeout = 1,
    Cancelled,
    NotSupported,
    InvalidArgument,
    Internal,
    // reader (PC/SC, simulated reader)
    ReaderNotFound = 100,
    ReaderRemoved,
    NoCard,
    CardRemoved,
    ReaderBusy,
    ReaderServiceDown,
    ReaderError,
    // card (status words and protocol)
    NotMyNumberCard = 200,
    CardFileNotFound,
    CardSecurityStatus,
    CardWrongLength,
    CardBadParameters,
    CardNotAllowed,
    CardUnsupportedCommand,
    CardMalformedReply,
    CardEndOfFile,
    CardError,
    CertificateInvalid,
    // pin
    PinIncorrect = 300,
    PinBlocked,
    PinFormat,
    // printer
    PrinterOffline = 400,
    PrinterPaperOut,
    PrinterCoverOpen,
    PrinterError,
    // network (transport)
    NetworkUnreachable = 500,
    TlsFailure,
    NetworkError,
    // server (the peer answered, but not with what we need)
    ServerError = 600,
    ServerRejected,
    BadReply,
    ChallengeExpired,
    CertificateRejected,
    ClockSkew,
    // config
    ConfigMissing = 700,
    ConfigInvalid,
    // storage
    StorageError = 800,
    StorageCorrupt,
};

// A stable snake_case name for logs, JSON and tests ("pin_incorrect").
std::string_view errcName(Errc code);

struct Error {
    Errc code = Errc::Internal;
    // The native code where there is one: PC/SC LONG, SW1SW2, CURLcode, HTTP status.
    std::int64_t native = 0;
    // For the log only; never shown to a patient and never holding personal data.
    std::string message;
};

template <class E>
class Unexpected {
public:
    explicit Unexpected(E e) : m_error(std::move(e)) {}
    E& error() & { return m_error; }
    E&& error() && { return std::move(m_error); }

private:
    E m_error;
};

inline Unexpected<Error> fail(Errc code, std::string message = {}, std::int64_t native = 0)
{
    return Unexpected<Error>(Error{code, native, std::move(message)});
}

inline Unexpected<Error> fail(Error error)
{
    return Unexpected<Error>(std::move(error));
}

template <class T>
class [[nodiscard]] Result {
public:
    using value_type = T;

    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Unexpected<Error> e) : m_v(std::in_place_index<1>, std::move(e).error()) {}
    template <class U, class = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                                !std::is_same_v<std::decay_t<U>, Result> &&
                                                !std::is_same_v<std::decay_t<U>, Unexpected<Error>>>>
    Result(U&& value) : m_v(std::in_place_index<0>, T(std::forward<U>(value)))
    {
    }

    bool has_value() const { return m_v.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const& { return std::get<1>(m_v); }
    Error&& error() && { return std::get<1>(std::move(m_v)); }

    template <class U>
    T value_or(U&& other) const&
    {
        return has_value() ? value() : T(std::forward<U>(other));
    }

    // f: T -> Result<U>
    template <class F>
    auto and_then(F&& f) &&
    {
        using R = std::invoke_result_t<F, T&&>;
        if (has_value()) {
            return std::forward<F>(f)(std::move(*this).value());
        }
        return R(fail(std::move(*this).error()));
    }

    // f: T -> U
    template <class F>
    auto transform(F&& f) &&
    {
        using U = std::invoke_result_t<F, T&&>;
        if (has_value()) {
            return Result<U>(std::forward<F>(f)(std::move(*this).value()));
        }
        return Result<U>(fail(std::move(*this).error()));
    }

    // f: Error -> Result<T>
    template <class F>
    Result or_else(F&& f) &&
    {
        if (has_value()) {
            return std::move(*this);
        }
        return std::forward<F>(f)(std::move(*this).error());
    }

private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void> {
public:
    using value_type = void;

    Result() = default;
    Result(Unexpected<Error> e) : m_error(std::move(e).error()), m_failed(true) {}

    bool has_value() const { return !m_failed; }
    explicit operator bool() const { return has_value(); }
    void value() const {}
    const Error& error() const& { return m_error; }
    Error&& error() && { return std::move(m_error); }

    template <class F>
    auto and_then(F&& f) &&
    {
        using R = std::invoke_result_t<F>;
        if (has_value()) {
            return std::forward<F>(f)();
        }
        return R(fail(std::move(m_error)));
    }

    template <class F>
    Result or_else(F&& f) &&
    {
        if (has_value()) {
            return *this;
        }
        return std::forward<F>(f)(std::move(m_error));
    }

private:
    Error m_error;
    bool m_failed = false;
};

inline Result<void> ok()
{
    return {};
}

} // namespace uketsuke
